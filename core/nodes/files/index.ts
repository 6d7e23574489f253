export {
  workflowFileSchema,
  isWorkflowFile,
  fileStorageKey,
  fileTypeForMime,
  extensionForMime,
  mimeForExtension,
  FILE_MODEL_IDENTITY,
  type WorkflowFile,
} from "./workflow-file";
export { readWorkflowFile, storeToolFile, blobStoreOf, extensionFromFilename, FileAccessError } from "./file-io";
