import { modeIcon } from "../format";

/** Dify stores an emoji plus a background colour; anything else falls back to the mode's emoji. */
export function AppIcon({ icon, iconType, background, mode, size = 40 }: {
  icon: string | null;
  iconType?: string | null;
  background: string | null;
  mode: string;
  size?: number;
}) {
  const emoji = icon && iconType !== "image" && [...icon].length <= 4 ? icon : modeIcon(mode);
  return (
    <span class="app-icon" style={{ width: `${size}px`, height: `${size}px`, fontSize: `${Math.round(size * 0.55)}px`, background: background || "#FFEAD5" }} aria-hidden="true">
      {emoji}
    </span>
  );
}
