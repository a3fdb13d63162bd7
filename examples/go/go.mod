module pulumi-flink-go

go 1.26

require (
	example.com/pulumi-pulumi-flink/sdk/go v0.0.0
	github.com/pulumi/pulumi/sdk/v3 v3.260.0
)

// The generated SDK (see main.go).
replace example.com/pulumi-pulumi-flink/sdk/go => ./sdks/pulumi-flink
