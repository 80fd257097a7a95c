/** The pseudo step id under which, in approval mode, the start of an execution is approved. */
export const START_APPROVAL_STEP = "$start";
