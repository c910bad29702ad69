/*
 * The on-demand code with silent renewal (`withSilentRenew()` loads this module instead of `on-demand.ts`): the
 * flows, plus the renewal coordinator, the hidden-iframe request and the blocked-cookie detector. An app without
 * the feature never refers to this module, so none of it ships.
 */
export * from './on-demand';
export { createRenewalCoordinator } from './renewal/renewal-coordinator';
