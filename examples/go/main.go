// The SDK is generated from the package's schema into sdks/pulumi-flink
// (`pulumi package add ../../plugin`, or toolchain/sdkgen: see the README).
package main

import (
	"example.com/pulumi-pulumi-flink/sdk/go/pulumiflink"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		jobs, err := pulumiflink.NewDeploymentTarget(ctx, "jobs", &pulumiflink.DeploymentTargetArgs{
			KubernetesNamespace: pulumi.String("flink-jobs"),
			DeploymentPatchSet: pulumiflink.PatchOperationArray{
				pulumiflink.PatchOperationArgs{
					Op:    pulumi.String("add"),
					Path:  pulumi.String("/spec/template/spec/flinkConfiguration/state.checkpoints.dir"),
					Value: pulumi.String("s3://flink-state/go/checkpoints"),
				},
			},
		})
		if err != nil {
			return err
		}
		orders, err := pulumiflink.NewDeployment(ctx, "orders", &pulumiflink.DeploymentArgs{
			Target: jobs,
			Spec: pulumi.Map{
				"template": pulumi.Map{
					"spec": pulumi.Map{
						"artifact": pulumi.Map{
							"jarUri":       pulumi.String("s3://jobs/orders-1.4.jar"),
							"flinkVersion": pulumi.String("1.20"),
						},
						"parallelism": pulumi.Int(2),
					},
				},
			},
		})
		if err != nil {
			return err
		}
		ctx.Export("restUrl", orders.RestUrl)
		ctx.Export("targetId", jobs.TargetId)
		return nil
	})
}
