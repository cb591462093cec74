//! QR codes as SVG text, drawn into the PDF by Typst.

use qrcode::QrCode;
use qrcode::render::svg;

/// The QR code of `text` as an SVG document (black modules on white, with a quiet zone).
///
/// # Errors
/// Text too long for a QR code.
pub fn svg(text: &str) -> Result<String, String> {
    let code = QrCode::new(text.as_bytes()).map_err(|e| e.to_string())?;
    Ok(code
        .render::<svg::Color<'_>>()
        .min_dimensions(160, 160)
        .quiet_zone(true)
        .build())
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_verification_address_makes_an_svg() {
        let s = super::svg("https://sinergi.example/verifikasi/ABCD-EFGH-JKLM").unwrap();
        assert!(s.starts_with("<?xml") || s.starts_with("<svg"));
        assert!(s.contains("<path") || s.contains("<rect"));
    }
}
