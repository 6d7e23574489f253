import type { ComponentChildren } from "preact";
import { BrandMark } from "./brand-mark";

/** The centred card used by setup, sign-in and invitation pages. */
export function AuthLayout({ title, subtitle, children }: { title: string; subtitle?: ComponentChildren; children: ComponentChildren }) {
  return (
    <div class="auth-screen">
      <div class="auth-card">
        <div class="auth-brand">
          <BrandMark /> Waggle
        </div>
        <h1>{title}</h1>
        {subtitle && <p class="muted auth-subtitle">{subtitle}</p>}
        {children}
      </div>
    </div>
  );
}
