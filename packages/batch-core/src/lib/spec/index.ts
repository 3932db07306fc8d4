export {
  EntitySchema,
  FieldInputSchema,
  FieldSchema,
  ProbeSchema,
  RequirementSchema,
  ServiceSchema,
  SparcSpecSchema,
  TargetsSchema,
  type EntitySpec,
  type FieldSpec,
  type FieldType,
  type ProbeSpec,
  type RequirementSpec,
  type ServiceSpec,
  type SparcSpec,
  type SparcSpecInput,
} from './schema';
export { parseFieldList, parseFieldShorthand } from './fields';
export { camelCase, constantCase, kebabCase, pascalCase, pluralize, words } from './naming';
export {
  entityConvention,
  invalidEntityInput,
  projectConvention,
  sampleEntityInput,
  sampleFieldValue,
  specConventions,
  type EntityConvention,
  type ProjectConvention,
} from './convention';
export { findSpecFile, loadSpec, parseSpec, SpecError, SPEC_FILE_NAMES } from './load';
