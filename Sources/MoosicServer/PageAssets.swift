/// The page, its script and its style: everything the browser loads comes from moosic itself
/// (no third-party script, style or font; the Content-Security-Policy allows nothing else).
///
/// They are the files `Resources/page.html`, `page.js` and `page.css`, which Package.swift declares
/// `.embedInCode`: SwiftPM puts their bytes into the binary (`PackageResources`). Not `.copy`/`.process`
/// with `Bundle.module`: that bundle is a folder beside the binary (`moosic_MoosicServer.resources`),
/// which `Scripts/install` does not copy into `bin/`, and whose accessor falls back to the build folder's
/// absolute path — so an installed moosic would serve the page only while the checkout it was built in
/// still exists, and stop at a fatal error once it is gone. Embedded, the binary serves the same bytes
/// wherever it is.
enum PageAssets {
    /// Where `page.html` takes the session's CSRF token, the only thing put into the page.
    static let csrfTokenPlaceholder = "{{csrf-token}}"

    /// The page, with the session's CSRF token.
    static func html(csrfToken: String) -> String {
        page.replacingOccurrences(of: csrfTokenPlaceholder, with: csrfToken)
    }

    private static let page = String(decoding: PackageResources.page_html, as: UTF8.self)

    /// The page's behaviour. Timings for the browser tests are kept in `window.moosicTimings`.
    static let script = String(decoding: PackageResources.page_js, as: UTF8.self)

    static let style = String(decoding: PackageResources.page_css, as: UTF8.self)
}
