package dev.parley.adapters.redis;

import redis.clients.jedis.commands.JedisCommands;

/**
 * The presence rules' table ({@link PresenceRulesTwinTest}) through the scripts as a Redis Cluster
 * runs them: each change split between the room's (or user's) slot and the node's, the rooms and
 * users of a sequence spread over the shards.
 */
class ClusterPresenceRulesTwinTest extends PresenceRulesTwinTest {

    @Override
    protected RedisSettings settings(String prefix) {
        return TestCluster.settings(prefix, "twin");
    }

    @Override
    protected JedisCommands reader() {
        return TestCluster.client();
    }

    @Override
    protected void deleteKeys(String prefix) {
        TestCluster.deleteKeys(prefix);
    }
}
