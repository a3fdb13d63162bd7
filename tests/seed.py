"""The seed's patch set: checkpoint and savepoint directories for every Deployment."""

SEED_PATCH_SET = [
    {
        "op": "add",
        "path": "/spec/template/spec/flinkConfiguration/state.checkpoints.dir",
        "value": "s3://flink/checkpoints",
    },
    {
        "op": "add",
        "path": "/spec/template/spec/flinkConfiguration/state.savepoints.dir",
        "value": "s3://flink/savepoints",
    },
]
