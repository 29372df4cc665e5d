import { PASSWORD_RULES } from "./password-policy";

/** The pool's password policy, shown before submit and ticked off while typing. */
export function PasswordRules({ password }: { password: string }) {
  return (
    <ul className="password-rules" aria-label="Password requirements">
      {PASSWORD_RULES.map((rule) => {
        const met = rule.test(password);
        return (
          <li key={rule.id} className={met ? "met" : undefined}>
            <span aria-hidden="true">{met ? "✓" : "•"}</span> {rule.label}
            <span className="visually-hidden">{met ? " (met)" : " (not met yet)"}</span>
          </li>
        );
      })}
    </ul>
  );
}
