// The matching is pure and the diagnosis checks in src/core need it too, so it lives in core;
// this module keeps the azure layer's existing imports working.
export * from '../core/federationMatch';
