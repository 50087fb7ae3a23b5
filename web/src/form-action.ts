// A form's API call as one submit handler: clears the error banner, resets the form on success and
// hands the result on, shows the error otherwise (the SDK's code and message, through ErrorBox).
import type { FormEvent } from 'react';

export type FormAction = <T>(fn: (f: FormData) => Promise<T>, after: (result: T) => void) => (e: FormEvent<HTMLFormElement>) => Promise<void>;

export function formAction(setError: (e: unknown) => void): FormAction {
  return (fn, after) => async (e) => {
    e.preventDefault();
    const form = e.currentTarget;
    setError(undefined);
    try {
      const result = await fn(new FormData(form));
      form.reset();
      after(result);
    } catch (err) {
      setError(err);
    }
  };
}

/** A trimmed text field; '' when absent. */
export const field = (f: FormData, name: string): string => String(f.get(name) ?? '').trim();

/** A button's API call: clears the error banner, runs, then `after` (a reload); shows the error otherwise. */
export function buttonAction(setError: (e: unknown) => void, after: () => void) {
  return (fn: () => Promise<unknown>) => async () => {
    setError(undefined);
    try {
      await fn();
      after();
    } catch (e) {
      setError(e);
    }
  };
}
