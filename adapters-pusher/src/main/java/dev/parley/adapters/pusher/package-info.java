/** The Pusher protocol 7 front door: pusher-js, Laravel Echo and the Pusher server SDKs on the same core as /ws. */
package dev.parley.adapters.pusher;
