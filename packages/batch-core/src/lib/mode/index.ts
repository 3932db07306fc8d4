export type {
  ArtifactWriter,
  Finding,
  FindingSeverity,
  ModeCommandDefinition,
  ModeContext,
  ModeDefinition,
  ModeEngine,
  ModeOptionsSchema,
  ModeResult,
  ModeRunFunction,
  ModeRunResult,
  ModeStatus,
  RunnableMode,
  RunnableTarget,
} from './types';
export { ArtifactPathError, DuplicateModeError, ModeDefinitionError, ModeOptionsError, UnknownModeError } from './errors';
export { assertModeDefinition, defineCommand, defineMode, type ModeSpec } from './define-mode';
export { ModeRegistry, type ModeListing, type ModeLoader, type ModeSource } from './registry';
export { isInputFinding, MODE_RULES, runMode } from './run-mode';
export {
  describeOptions,
  formatOptionsHelp,
  optionsJsonSchema,
  toFlag,
  toOptionName,
  type OptionChoice,
  type OptionDescriptor,
  type OptionItemType,
  type OptionType,
} from './describe-options';
export { formatIssuePath, parseOptionArgs, type RawOptionValue } from './parse-option-args';
export { parsePlain, plainFirst, type PlainCheck, type PlainLiteral, type PlainParseResult, type PlainSchema, type SafeParsing } from './plain-schema';
export { toPlainSchema, UnsupportedPlainSchemaError } from './to-plain-schema';
export { createArtifactWriter, newRunId, ReportArtifactWriter, REPORTS_DIR } from './artifacts';
export { createModeContext, type ModeContextOptions } from './context';
