/** Validation before sync (DESIGN §4): the checks shared by the Ready to Sync ribbon command and the bridge. */
export { VALIDATION_CODES, VALIDATION_CODE_INFO, VALIDATION_LIMITS } from './codes';
export type { ValidationCode, ValidationCodeInfo, ValidationSeverity } from './codes';
export {
  DEFAULT_LCID as VALIDATION_DEFAULT_LCID,
  VALIDATION_MESSAGES,
  formatIssue as formatValidationIssue,
  placeholdersOf as validationPlaceholdersOf,
  render as renderValidationMessage,
} from './messages';
export type {
  ValidationLanguage,
  ValidationMessageCatalogue,
  ValidationMessageTemplate,
  ValidationPlaceholder,
  ValidationPlaceholderFormat,
} from './messages';
export { validateTasks } from './validateTasks';
export type {
  TaskWithIssues,
  ValidationAssignment,
  ValidationContext,
  ValidationIssue,
  ValidationLookup,
  ValidationParams,
  ValidationProject,
  ValidationResult,
  ValidationRole,
  ValidationTask,
} from './types';
