/**
 * Waggle's mark: a honeycomb cell, drawn (not an emoji, which a system without an emoji font shows
 * as an empty box).
 */
export function BrandMark({ size = 22 }: { size?: number }) {
  return (
    <svg class="brand-mark" viewBox="0 0 24 24" width={size} height={size} aria-hidden="true">
      <path d="M12 2.5 20.2 7.25v9.5L12 21.5 3.8 16.75v-9.5Z" fill="#f5b301" stroke="#b77900" stroke-width="1.5" stroke-linejoin="round" />
      <path d="M12 8 15.5 10v4L12 16 8.5 14v-4Z" fill="#fff7d6" />
    </svg>
  );
}
