/**
 * The Redis adapter (Jedis): fan-out of room events across nodes over pub/sub, and presence with node liveness. Filled by the scale-out issue.
 */
package dev.parley.adapters.redis;
