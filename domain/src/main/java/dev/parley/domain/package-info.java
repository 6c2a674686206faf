/**
 * Parley's domain: the rules of rooms, messages, presence, ordering and recovery in plain Java.
 *
 * <p>Nothing here knows about WebSockets, JSON, Redis or SQL. Value types validate in their
 * factories; expected rejections come back as {@link dev.parley.domain.Validated} or outcome
 * types carrying a {@link dev.parley.domain.Refusal}; exceptions mean a bug in the caller. How a
 * refusal or a violation reads on some wire is the business of the adapter that speaks it.
 */
package dev.parley.domain;
