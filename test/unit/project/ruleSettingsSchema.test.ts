// `kwi.rules` in package.json lists one property per rule so that settings.json completes rule IDs
// and rejects misspelt ones. The rule catalog in src/core/ruleCatalog.ts is the source of truth:
// a rule added or renamed there without its schema entry would be unknown to the settings editor.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { RULES } from '../../../src/core/ruleCatalog';

const ROOT = path.resolve(__dirname, '../../../..');
interface Property {
  type: string;
  enum: string[];
  enumDescriptions: string[];
}
const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  contributes: {
    configuration:
      | { properties: Record<string, { properties?: Record<string, Property> }> }
      | { properties: Record<string, { properties?: Record<string, Property> }> }[];
  };
};

function rulesSchema(): Record<string, Property> {
  const configuration = manifest.contributes.configuration;
  const sections = Array.isArray(configuration) ? configuration : [configuration];
  const found = sections.map((s) => s.properties['kwi.rules']).find(Boolean);
  assert.ok(found?.properties, 'package.json declares kwi.rules with per-rule properties');
  return found.properties;
}

test('kwi.rules declares exactly the rules of the catalog, in catalog order', () => {
  assert.deepEqual(
    Object.keys(rulesSchema()),
    RULES.map((r) => r.id),
  );
});

test('each rule setting offers off/error/warning/info with a description each', () => {
  for (const [id, p] of Object.entries(rulesSchema())) {
    assert.equal(p.type, 'string', id);
    assert.deepEqual(p.enum, ['off', 'error', 'warning', 'info'], id);
    assert.equal(p.enumDescriptions.length, p.enum.length, id);
  }
});
