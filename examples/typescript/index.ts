// The SDK is generated from the package's schema into sdks/pulumi-flink
// (`pulumi package add ../../plugin`, or toolchain/sdkgen: see the README).
import * as flink from "@pulumi/pulumi-flink";

const jobs = new flink.DeploymentTarget("jobs", {
    kubernetesNamespace: "flink-jobs",
    deploymentPatchSet: [
        {
            op: "add",
            path: "/spec/template/spec/flinkConfiguration/state.checkpoints.dir",
            value: "s3://flink-state/typescript/checkpoints",
        },
    ],
});

const orders = new flink.Deployment("orders", {
    target: jobs,
    spec: {
        template: {
            spec: {
                artifact: { jarUri: "s3://jobs/orders-1.4.jar", flinkVersion: "1.20" },
                parallelism: 2,
            },
        },
    },
});

export const restUrl = orders.restUrl;
export const targetId = jobs.targetId;
