/// The dashboard's one page: self-contained (inline CSS and JavaScript, no CDN), fed by `/api/state` and the `/api/events` stream.
///
/// The page lives in `Resources/dashboard.html` and is compiled into the binary, so an installed `quantum` needs no
/// files beside it.
enum DashboardPage {
    static let html = String(decoding: PackageResources.dashboard_html, as: UTF8.self)
}
