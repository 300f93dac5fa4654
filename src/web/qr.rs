//! QR codes on printed pages (the berita acara, the daftar hadir, letters and forms).

/// A QR code of `text` as an inline SVG element (no XML prolog), black on white, with
/// its quiet zone; `None` if the text is too long for a QR code.
pub fn svg(text: &str) -> Option<String> {
    let code = qrcode::QrCode::with_error_correction_level(text, qrcode::EcLevel::M).ok()?;
    let svg = code
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(160, 160)
        .quiet_zone(true)
        .build();
    svg.find("<svg").map(|at| svg[at..].to_string())
}
