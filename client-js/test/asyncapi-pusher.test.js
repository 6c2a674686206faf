// docs/asyncapi-pusher.yaml, the Pusher protocol 7 front door: it parses as AsyncAPI, and every
// example of every message matches the message's payload schema, down into the JSON strings
// Pusher puts in `data`, `channel_data` and `user_data` (their `contentSchema`, which draft-7
// validators leave alone, is applied here to the decoded string).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import Ajv from 'ajv';
import { ERROR, parseDoc, withoutParserKeys } from './asyncapi-support.js';

const { document, diagnostics } = await parseDoc('asyncapi-pusher.yaml');

// strict: a misspelt keyword fails here instead of being ignored everywhere.
const ajv = new Ajv({ strict: true, strictRequired: false, allowUnionTypes: true, allErrors: true });
// Only to tell which branch of a oneOf / anyOf / if a value takes: a branch alone lacks the
// `type` of the schema around it, which strict mode asks for.
const branches = new Ajv({ strict: false, allowUnionTypes: true });

function validates(schema, value, by = ajv) {
  const validate = by.compile(schema);
  return validate(value) ? [] : [by.errorsText(validate.errors)];
}

/**
 * What is wrong inside the JSON strings of `value`: wherever its schema says
 * `contentMediaType: application/json` with a `contentSchema`, the string must decode and match
 * it. The schema is followed where `value` goes: properties, items, the branches of allOf and
 * those of anyOf / oneOf / if that `value` matches.
 */
function contentErrors(schema, value, at = '') {
  if (schema === null || typeof schema !== 'object') return [];
  const errors = [];
  if (schema.contentMediaType === 'application/json' && schema.contentSchema && typeof value === 'string') {
    let decoded;
    try {
      decoded = JSON.parse(value);
    } catch (e) {
      return [`${at || '/'}: not JSON (${e.message})`];
    }
    errors.push(...validates(schema.contentSchema, decoded).map((e) => `${at || '/'} decoded: ${e}`));
    errors.push(...contentErrors(schema.contentSchema, decoded, `${at}(decoded)`));
  }
  if (schema.properties && value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, inner] of Object.entries(value)) {
      errors.push(...contentErrors(schema.properties[key], inner, `${at}/${key}`));
    }
  }
  if (schema.items && Array.isArray(value)) {
    value.forEach((inner, i) => errors.push(...contentErrors(schema.items, inner, `${at}/${i}`)));
  }
  for (const branch of schema.allOf ?? []) errors.push(...contentErrors(branch, value, at));
  for (const branch of [...(schema.anyOf ?? []), ...(schema.oneOf ?? [])]) {
    if (validates(branch, value, branches).length === 0) errors.push(...contentErrors(branch, value, at));
  }
  if (schema.if !== undefined) {
    const next = validates(schema.if, value, branches).length === 0 ? schema.then : schema.else;
    errors.push(...contentErrors(next, value, at));
  }
  return errors;
}

/** The whole frame: its payload schema, then the JSON strings inside it. */
function frameErrors(payload, frame) {
  return [...validates(payload, frame), ...contentErrors(payload, frame)];
}

const eventsOf = (action) => document.operations().all()
  .filter((operation) => operation.action() === action)
  .flatMap((operation) => operation.messages().all())
  .map((message) => {
    const event = message.payload().json().properties.event;
    return event.const ?? `pattern ${event.pattern ?? `${event.minLength}-${event.maxLength} characters`}`;
  });

describe('docs/asyncapi-pusher.yaml', () => {
  test('parses with @asyncapi/parser without an error', () => {
    const errors = diagnostics.filter((d) => d.severity === ERROR);
    assert.deepEqual(errors.map((d) => `${d.path.join('.')}: ${d.message}`), []);
    assert.ok(document, 'the parser returned no document');
    assert.match(document.version(), /^3\./);
    assert.equal(document.channels().all().length, 1);
    assert.equal(document.channels().all()[0].address(), '/app/{key}');
  });

  test('describes every event of both directions', () => {
    assert.deepEqual(new Set(eventsOf('receive')), new Set(['pusher:ping', 'pusher:pong', 'pusher:subscribe',
      'pusher:unsubscribe', 'pusher:signin', 'pattern ^client-']));
    assert.deepEqual(new Set(eventsOf('send')), new Set(['pusher:connection_established', 'pusher:error',
      'pusher:ping', 'pusher:pong', 'pusher_internal:subscription_succeeded', 'pusher:subscription_error',
      'pusher_internal:member_added', 'pusher_internal:member_removed', 'pusher:signin_success',
      'pattern ^client-', 'pattern 1-200 characters']));
  });

  test('every message has an example, and every example matches its payload schema and its JSON strings theirs', () => {
    const messages = document.allMessages().all();
    assert.equal(messages.length, 18);
    for (const message of messages) {
      const payload = withoutParserKeys(message.payload().json());
      const examples = message.examples().all();
      assert.ok(examples.length > 0, `${message.id()} has no example`);
      for (const example of examples) {
        assert.deepEqual(frameErrors(payload, example.payload()), [], `${message.id()} example ${example.name()}`);
      }
    }
  });

  test('a JSON string that does not match its contentSchema is caught', () => {
    const byId = Object.fromEntries(document.allMessages().all()
      .map((message) => [message.id(), withoutParserKeys(message.payload().json())]));
    const wrong = [
      ['connectionEstablished', { event: 'pusher:connection_established', data: '{"socket_id":"1.2"}' }],
      ['connectionEstablished', { event: 'pusher:connection_established', data: 'not json' }],
      ['subscriptionError', { event: 'pusher:subscription_error', channel: 'private-a', data: '{"type":"AuthError","error":"x","status":500}' }],
      ['subscribe', { event: 'pusher:subscribe', data: { channel: 'presence-a', auth: `k:${'0'.repeat(64)}`, channel_data: '{"user_info":{}}' } }],
      ['subscribe', { event: 'pusher:subscribe', data: '{"channel":"no spaces"}' }],
      ['signin', { event: 'pusher:signin', data: { auth: `k:${'0'.repeat(64)}`, user_data: '{"id":42}' } }],
      ['memberAdded', { event: 'pusher_internal:member_added', channel: 'presence-a', data: '{"user_id":""}' }],
    ];
    for (const [id, frame] of wrong) {
      assert.notDeepEqual(frameErrors(byId[id], frame), [], `${id} took ${JSON.stringify(frame)}`);
    }
  });
});
