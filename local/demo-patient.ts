/**
 * The sandbox's demo patient, Margaret Oakley: seeded by `seed-demo-patient.ts`, offered by the viewer launcher.
 * Its own module, so the launcher names it without loading the write path before the sandbox sets the
 * environment the handlers' Powertools read at import.
 */
export const DEMO_PATIENT = '9000000092';
