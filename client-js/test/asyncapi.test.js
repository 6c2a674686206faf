// docs/asyncapi.yaml: it parses as AsyncAPI, and every example of every message matches the
// message's payload schema (the v3 parser does not check examples itself).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import Ajv from 'ajv';
import { ERROR, parseDoc, withoutParserKeys } from './asyncapi-support.js';

const { document, diagnostics } = await parseDoc('asyncapi.yaml');

describe('docs/asyncapi.yaml', () => {
  test('parses with @asyncapi/parser without an error', () => {
    const errors = diagnostics.filter((d) => d.severity === ERROR);
    assert.deepEqual(errors.map((d) => `${d.path.join('.')}: ${d.message}`), []);
    assert.ok(document, 'the parser returned no document');
    assert.match(document.version(), /^3\./);
  });

  test('describes every frame of both directions, each with its type as a const', () => {
    const types = (action) => document.operations().all()
      .filter((operation) => operation.action() === action)
      .flatMap((operation) => operation.messages().all())
      .map((message) => message.payload().json().properties.type.const);
    assert.deepEqual(new Set(types('receive')),
      new Set(['join_room', 'leave_room', 'chat', 'typing', 'history', 'presence', 'ping']));
    assert.deepEqual(new Set(types('send')),
      new Set(['welcome', 'ack', 'error', 'pong', 'chat', 'typing', 'presence']));
  });

  test('every message has an example, and every example matches its payload schema', () => {
    // strict: a misspelt keyword fails here instead of being ignored everywhere. (strictRequired
    // would also refuse the error frame's `then: {required: [retryAfterMs]}`, which is meant.)
    const ajv = new Ajv({ strict: true, strictRequired: false, allowUnionTypes: true, allErrors: true });
    const messages = document.allMessages().all();
    assert.equal(messages.length, 18);
    for (const message of messages) {
      const validate = ajv.compile(withoutParserKeys(message.payload().json()));
      const examples = message.examples().all();
      assert.ok(examples.length > 0, `${message.id()} has no example`);
      for (const example of examples) {
        assert.ok(validate(example.payload()),
          `${message.id()} example ${example.name()}: ${ajv.errorsText(validate.errors)}`);
      }
    }
  });
});
