import { accessDashboard } from './access.ts';
import { auditHealthDashboard } from './audit-health.ts';
import { dlpDashboard } from './dlp.ts';
import { overviewDashboard } from './overview.ts';
import type { DashboardSpec } from './panel-spec.ts';

export const DASHBOARDS: readonly DashboardSpec[] = [overviewDashboard, dlpDashboard, accessDashboard, auditHealthDashboard];
