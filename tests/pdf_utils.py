import subprocess
import tempfile
import unicodedata


def pdf_text_and_fonts(pdf):
    """The text (pdftotext) and font list (pdffonts) of a rendered PDF."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        text = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", handle.name, "-"],
            capture_output=True,
            check=True,
            text=True,
        ).stdout
        fonts = subprocess.run(
            ["pdffonts", handle.name], capture_output=True, check=True, text=True
        ).stdout
    # CJK fonts map some ideographs to Kangxi radicals in the text layer.
    return unicodedata.normalize("NFKC", text), fonts
