#!/usr/bin/env python3
"""Writes the small PDFs the import tests read (tests/fixtures/import_samples/*.pdf).

Hand-assembled PDF 1.4 files (one page, Helvetica text, a correct xref table) so the
fixtures are reproducible byte for byte without any PDF library:
- arxiv_stamped.pdf: Info /Title, and the left-margin arXiv stamp on page 1 as arXiv
  prints it ("arXiv:2006.11239v2 [cs.LG] 16 Dec 2020"), rotated 90 degrees.
- doi_only.pdf: no Info, a journal-style first page that prints a DOI.
- 1706.03762v7.pdf: no Info, no identifier in the text: only the file name names it.
"""
import pathlib

OUT = pathlib.Path(__file__).resolve().parent.parent / "tests/fixtures/import_samples"


def esc(s):
    return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def pdf(lines, title=None, stamp=None):
    ops = ["BT /F1 11 Tf 72 720 Td 14 TL"]
    for ln in lines:
        ops.append(f"({esc(ln)}) Tj T*")
    ops.append("ET")
    if stamp:
        # Rotated 90 degrees on the left margin, like arXiv's watermark.
        ops.append(f"BT /F1 20 Tf 0 1 -1 0 32 200 Tm ({esc(stamp)}) Tj ET")
    content = "\n".join(ops).encode("latin-1")
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    if title:
        objs.append(f"<< /Title ({esc(title)}) /Producer (papersift fixture) >>".encode("latin-1"))
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    info = b" /Info %d 0 R" % len(objs) if title else b""
    out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, info, xref)
    return bytes(out)


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "arxiv_stamped.pdf").write_bytes(pdf(
        ["Denoising Diffusion Probabilistic Models", "Jonathan Ho, Ajay Jain, Pieter Abbeel",
         "Abstract. We present high quality image synthesis results using diffusion",
         "probabilistic models, a class of latent variable models."],
        title="Denoising Diffusion Probabilistic Models",
        stamp="arXiv:2006.11239v2  [cs.LG]  16 Dec 2020"))
    (OUT / "doi_only.pdf").write_bytes(pdf(
        ["High-Resolution Image Synthesis with Latent Diffusion Models",
         "2022 IEEE/CVF Conference on Computer Vision and Pattern Recognition (CVPR)",
         "DOI: 10.1109/CVPR52688.2022.01042"]))
    (OUT / "1706.03762v7.pdf").write_bytes(pdf(
        ["Attention Is All You Need", "The dominant sequence transduction models are based",
         "on complex recurrent or convolutional neural networks."]))


if __name__ == "__main__":
    main()
