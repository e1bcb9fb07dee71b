/**
 * The one-file zip archives KIS serves its master files in (`kospi_code.mst.zip`, …; the official samples
 * open them with Python's zipfile). Reads the first entry through the central directory — so a data
 * descriptor (sizes after the data) is handled — stored or deflated; writes one deflated entry (the
 * simulator and the tests). Errors are data with a stable code.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';

/** Why an archive could not be read. */
export interface ZipError {
  readonly code: 'NOT_A_ZIP' | 'UNSUPPORTED' | 'CORRUPT';
  readonly message: string;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/** The first file of a zip archive, or why not. */
export function unzipFirst(zip: Uint8Array): { name: string; data: Uint8Array } | ZipError {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  // The end-of-central-directory record is 22 bytes plus a comment of up to 65,535.
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 65_535); i--) {
    if (view.getUint32(i, true) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0)
    return { code: 'NOT_A_ZIP', message: 'not a zip archive (no end of central directory; truncated download?)' };
  const central = view.getUint32(eocd + 16, true);
  if (central + 46 > zip.length || view.getUint32(central, true) !== CENTRAL)
    return { code: 'CORRUPT', message: 'zip central directory out of range' };
  const method = view.getUint16(central + 10, true);
  const size = view.getUint32(central + 20, true);
  const nameLength = view.getUint16(central + 28, true);
  const local = view.getUint32(central + 42, true);
  const name = Buffer.from(zip.subarray(central + 46, central + 46 + nameLength)).toString('latin1');
  if (local + 30 > zip.length || view.getUint32(local, true) !== LOCAL)
    return { code: 'CORRUPT', message: 'zip local header out of range' };
  const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
  if (start + size > zip.length)
    return { code: 'CORRUPT', message: 'zip entry runs past the end (truncated download?)' };
  const body = zip.subarray(start, start + size);
  if (method === 0) return { name, data: body };
  if (method !== 8) return { code: 'UNSUPPORTED', message: `zip compression method ${method} is not supported` };
  try {
    return { name, data: new Uint8Array(inflateRawSync(body)) };
  } catch (error) {
    return {
      code: 'CORRUPT',
      message: `zip entry does not inflate: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}

/** CRC-32 (IEEE), for the writer. */
function crc32(data: Uint8Array): number {
  let crc = ~0;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

/** A zip archive holding one deflated file. */
export function zipOne(name: string, data: Uint8Array): Uint8Array {
  const packed = deflateRawSync(data);
  const nameBytes = Buffer.from(name, 'latin1');
  const crc = crc32(data);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(LOCAL, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(packed.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(nameBytes.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(CENTRAL, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(packed.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(nameBytes.length, 28);
  central.writeUInt32LE(0, 42);
  const centralOffset = local.length + nameBytes.length + packed.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(EOCD, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + nameBytes.length, 12);
  end.writeUInt32LE(centralOffset, 16);
  return new Uint8Array(Buffer.concat([local, nameBytes, packed, central, nameBytes, end]));
}
