import { useEffect } from 'react';
import { Route, Routes, useLocation } from 'react-router';
import { RequireToken } from './auth/RequireToken';
import { SignInPage } from './auth/SignInPage';
import { Layout } from './layout/Layout';
import { CustomerPage } from './pages/customers/CustomerPage';
import { CustomersPage } from './pages/customers/CustomersPage';
import { DestinationPage } from './pages/destinations/DestinationPage';
import { DestinationsPage } from './pages/destinations/DestinationsPage';
import { SetupPage } from './pages/destinations/SetupPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { NotificationsPage } from './pages/notifications/NotificationsPage';
import { OverviewPage } from './pages/OverviewPage';
import { ExportRunPage } from './pages/runs/ExportRunPage';
import { RefreshRunPage } from './pages/runs/RefreshRunPage';
import { RunsPage } from './pages/runs/RunsPage';
import { SchedulePage } from './pages/schedule/SchedulePage';
import { SegmentEditPage } from './pages/segments/SegmentEditPage';
import { SegmentsPage } from './pages/segments/SegmentsPage';
import { NewDataverseSourcePage } from './pages/sources/NewDataverseSourcePage';
import { NewSourcePage } from './pages/sources/NewSourcePage';
import { SourcePage } from './pages/sources/SourcePage';
import { SourcesPage } from './pages/sources/SourcesPage';
import { TokensPage } from './pages/tokens/TokensPage';
import { SettingsPage } from './pages/settings/SettingsPage';
import { AuditPage } from './pages/audit/AuditPage';
import { UnificationPage } from './pages/unification/UnificationPage';

/** Keeps the document title in step with the page and moves focus to the content on navigation. */
function useTitleAndFocus() {
  const location = useLocation();
  useEffect(() => {
    const heading = document.querySelector('main h1');
    document.title = heading?.textContent
      ? `${heading.textContent} · Audience Sync`
      : 'Audience Sync';
  });
  useEffect(() => {
    document.getElementById('main')?.focus({ preventScroll: true });
  }, [location.pathname]);
}

export function App() {
  useTitleAndFocus();
  return (
    <Routes>
      <Route path="/sign-in" element={<SignInPage />} />
      <Route
        element={
          <RequireToken>
            <Layout />
          </RequireToken>
        }
      >
        <Route index element={<OverviewPage />} />
        <Route path="sources" element={<SourcesPage />} />
        <Route path="sources/new" element={<NewSourcePage />} />
        <Route path="sources/new-dataverse" element={<NewDataverseSourcePage />} />
        <Route path="sources/:id" element={<SourcePage />} />
        <Route path="unification" element={<UnificationPage />} />
        <Route path="customers" element={<CustomersPage />} />
        <Route path="customers/:id" element={<CustomerPage />} />
        <Route path="segments" element={<SegmentsPage />} />
        <Route path="segments/new" element={<SegmentEditPage />} />
        <Route path="segments/:id" element={<SegmentEditPage />} />
        <Route path="destinations" element={<DestinationsPage />} />
        <Route path="destinations/new/:type" element={<SetupPage />} />
        <Route path="destinations/:id" element={<DestinationPage />} />
        <Route path="destinations/:id/edit" element={<SetupPage />} />
        <Route path="runs" element={<RunsPage />} />
        <Route path="runs/refresh/:id" element={<RefreshRunPage />} />
        <Route path="runs/export/:id" element={<ExportRunPage />} />
        <Route path="schedule" element={<SchedulePage />} />
        <Route path="settings" element={<SettingsPage />} />
        <Route path="tokens" element={<TokensPage />} />
        <Route path="audit" element={<AuditPage />} />
        <Route path="notifications" element={<NotificationsPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
