/**
 * Parley's domain: the rules of rooms, messages, presence, ordering and recovery in plain Java.
 *
 * <p>Nothing here knows about WebSockets, JSON, Redis or SQL. Value types validate in their
 * factories; expected rejections come back as {@link dev.parley.domain.Validated} or outcome
 * types carrying an {@link dev.parley.domain.ErrorCode}; exceptions mean a bug in the caller.
 */
package dev.parley.domain;
