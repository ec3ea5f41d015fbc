// The type of the generated src/config/schema-validator.js (ajv's standalone
// code for schema.json, written by scripts/gen-schema.ts).
import type { ValidateFunction } from 'ajv';

declare const validate: ValidateFunction;
export default validate;
