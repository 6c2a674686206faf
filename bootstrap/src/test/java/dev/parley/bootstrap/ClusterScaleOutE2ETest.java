package dev.parley.bootstrap;

/**
 * The scale-out cases of {@link ScaleOutE2ETest} with the two nodes on a Redis Cluster of three
 * masters and three replicas ({@code PARLEY_REDIS_CLUSTER}): room events over sharded pub/sub,
 * presence and the per-user limit spread over the shards.
 */
class ClusterScaleOutE2ETest extends ScaleOutE2ETest {

    @Override
    ScaleOut scaleOut() {
        return ScaleOut.onRedisCluster();
    }
}
