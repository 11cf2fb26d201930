import { buildDashboard } from './build-dashboard.ts';
import { DASHBOARDS } from './dashboards.ts';
import { dashboardsProvisioning, datasourcesProvisioning } from './provisioning.ts';

/** Every generated file, by its path under dashboards/generated/. */
export function renderGeneratedFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const spec of DASHBOARDS) files.set(`dashboards/${spec.uid}.json`, `${JSON.stringify(buildDashboard(spec), null, 2)}\n`);
  files.set('provisioning/datasources/gatehouse.yaml', datasourcesProvisioning());
  files.set('provisioning/dashboards/gatehouse.yaml', dashboardsProvisioning());
  return files;
}
