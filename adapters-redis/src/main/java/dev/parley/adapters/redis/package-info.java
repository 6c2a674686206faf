/**
 * The Redis adapter (Jedis): fan-out of room events across nodes over pub/sub ({@link
 * dev.parley.adapters.redis.RedisFanOut}), and presence across nodes with node liveness ({@link
 * dev.parley.adapters.redis.RedisPresenceStore}). Redis only makes delivery fast and shares who is
 * online: the history store stays the source of truth for messages. See {@code docs/scale-out.md}.
 */
package dev.parley.adapters.redis;
