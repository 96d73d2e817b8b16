/** The drag-and-drop payload of a palette item: the op key and the payload a new step starts with. */
export const PALETTE_MIME = 'application/x-greentic-step';

export interface PaletteDrag {
  opKey: string;
  payload: unknown;
}

export function writePaletteDrag(transfer: DataTransfer, item: PaletteDrag): void {
  transfer.setData(PALETTE_MIME, JSON.stringify(item));
  transfer.setData('text/plain', item.opKey);
  transfer.effectAllowed = 'copy';
}

export function readPaletteDrag(transfer: DataTransfer): PaletteDrag | null {
  const raw = transfer.getData(PALETTE_MIME);
  if (!raw) return null;
  try {
    const value = JSON.parse(raw) as Partial<PaletteDrag>;
    return typeof value.opKey === 'string' ? { opKey: value.opKey, payload: value.payload ?? {} } : null;
  } catch {
    return null;
  }
}
