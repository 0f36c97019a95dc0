import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { NavLink, Outlet, useNavigate } from 'react-router';
import { get } from '../api/client';
import type { Role } from '../api/types';
import { useCan, useMe } from '../auth/role';
import { signOut } from '../auth/session';

const NAV: { to: string; label: string; least?: Role }[] = [
  { to: '/', label: 'Overview' },
  { to: '/sources', label: 'Sources' },
  { to: '/unification', label: 'Unification' },
  { to: '/customers', label: 'Customers' },
  { to: '/segments', label: 'Segments' },
  { to: '/destinations', label: 'Export destinations' },
  { to: '/runs', label: 'Runs' },
  { to: '/schedule', label: 'Schedule' },
  { to: '/notifications', label: 'Notifications' },
  { to: '/settings', label: 'Settings' },
  { to: '/tokens', label: 'API tokens', least: 'admin' },
  { to: '/audit', label: 'Audit log', least: 'admin' },
];

interface Info {
  name: string;
  version: string;
  database: string;
}

/** The frame of every signed-in page: skip link, navigation, sign-out, the page itself. */
export function Layout() {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const me = useMe();
  const isAdmin = useCan('admin');
  const info = useQuery({ queryKey: ['info'], queryFn: () => get<Info>('/api/info') });
  // On a phone the navigation folds behind a menu button (styles.css shows it always on wider
  // screens); choosing a page folds it again.
  const [menuOpen, setMenuOpen] = useState(false);
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <aside className={menuOpen ? 'sidebar menu-open' : 'sidebar'}>
        <div className="sidebar-top">
          <div className="brand">Audience Sync</div>
          <button
            type="button"
            className="menu-button"
            aria-expanded={menuOpen}
            aria-controls="main-nav"
            onClick={() => {
              setMenuOpen(!menuOpen);
            }}
          >
            Menu
          </button>
        </div>
        <nav aria-label="Main" id="main-nav">
          <ul>
            {NAV.filter((item) => !item.least || isAdmin).map((item) => (
              <li key={item.to}>
                <NavLink
                  to={item.to}
                  end={item.to === '/'}
                  onClick={() => {
                    setMenuOpen(false);
                  }}
                >
                  {item.label}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="sidebar-footer">
          {info.data ? (
            <div className="muted small">
              v{info.data.version} · {info.data.database}
            </div>
          ) : null}
          {me.data ? (
            <div className="signed-in-as small" data-testid="signed-in-as">
              Signed in as <strong>{me.data.name}</strong> ({me.data.role})
            </div>
          ) : null}
          <button
            type="button"
            className="link-button"
            onClick={() => {
              // Nothing of this person's stays for whoever signs in next in this tab.
              void signOut().then(() => {
                queryClient.clear();
                return navigate('/sign-in', { replace: true });
              });
            }}
          >
            Sign out
          </button>
        </div>
      </aside>
      <main className="content" id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}
