from pulumi_flink.package import serve

serve()
