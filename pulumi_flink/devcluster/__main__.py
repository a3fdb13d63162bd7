"""``python -m pulumi_flink.devcluster up|down|env``."""

from .cli import dev_cluster

if __name__ == "__main__":
    dev_cluster(prog_name="python -m pulumi_flink.devcluster")
