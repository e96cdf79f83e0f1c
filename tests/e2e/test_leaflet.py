"""The JAC/CAW leaflet in Chromium: accessible on screen, and printing keeps only the leaflet."""

from .checks import check_page


def test_leaflet_on_screen_and_in_print(new_page):
    page = new_page()
    page.goto("/folder")
    check_page(page, "leaflet")
    page.select_option("#regio", "west-vlaanderen")
    page.click("button:has-text('Toon')")
    assert "regio=west-vlaanderen" in page.url
    assert "AZ Delta" in page.inner_text("article") and "UZ Gent" not in page.inner_text("article")
    check_page(page, "leaflet-west-vlaanderen")
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.locator(".folder-tools").is_visible()
    assert page.locator("article.folder h1").is_visible()
    pdf = page.pdf(format="A4")  # what the browser's print dialog would produce
    assert pdf.startswith(b"%PDF")
    response = page.request.get("/folder.pdf?regio=west-vlaanderen")
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
