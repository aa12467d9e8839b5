import { useState } from "react";

import { ApiError } from "../api/errors";
import { formErrorsOf } from "../api/forms";

type FormProblem = { message: string; requestId: string | null } | null;

/** An API error onto a form: field errors at their fields, the rest above the form. */
export function useApiErrors(fields: readonly string[]) {
  const [problem, setProblem] = useState<FormProblem>(null);
  return {
    problem,
    clear: () => setProblem(null),
    show: (error: unknown, setErrors: (errors: Record<string, string>) => void) => {
      const { fieldErrors, formError } = formErrorsOf(error, fields);
      setErrors(fieldErrors);
      if (formError) setProblem({ message: formError, requestId: error instanceof ApiError ? error.requestId : null });
    },
  };
}
