/**
 * Record and replay: the recording format, its writer (fed by the agent's tap) and its reader.
 * See FORMAT.md for the bytes.
 */
export { RecordingWriter, type RecordingWriterOptions, type RecorderStats, type RecorderEvents } from './writer';
export { RecordingReader, type ReadSummary } from './reader';
export {
  RecordingError,
  FORMAT_VERSION,
  MAGIC,
  type RecordingErrorCode,
  type RecordingEntry,
  type RecordingHeader,
  type EndReason,
} from './format';
export { RecordingRedactor, isDataFrame } from './redact';
