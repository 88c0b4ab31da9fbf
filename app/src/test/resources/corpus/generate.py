#!/usr/bin/env python3
"""Writes the Japanese mail corpus (*.eml) next to this script. See README.md for what each file is and why.

Deterministic except signed-smime.eml (a fresh key and signature each run: regenerate only when needed).
Run: python3 generate.py   (needs openssl for the S/MIME file)
"""
import base64, os, quopri, subprocess, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
LIST = "bunka@lists.city.kitamoto.example"


def sjis_to_jis(sjis: bytes) -> bytes:
    """Shift_JIS double bytes to JIS X 0208 rows by the standard arithmetic, as Windows mail programs do for
    ISO-2022-JP: CP932's NEC special (①, ㈱) and NEC-selected IBM (髙) characters land in rows 13 and 89-92,
    which a strict ISO-2022-JP decoder does not know."""
    out, i = bytearray(), 0
    while i < len(sjis):
        c1, c2 = sjis[i], sjis[i + 1]
        row = ((c1 - 0x70) if c1 < 0xA0 else (c1 - 0xB0)) * 2
        if c2 < 0x9F:
            row -= 1
            cell = c2 - 0x1F - (1 if c2 > 0x7F else 0)
        else:
            cell = c2 - 0x7E
        out += bytes([row, cell])
        i += 2
    return bytes(out)


def iso2022jp(text: str) -> bytes:
    """ISO-2022-JP the CP50220 way: ASCII as is, everything else JIS X 0208 via CP932 arithmetic."""
    out, kanji = bytearray(), False
    for ch in text:
        if ord(ch) < 0x80:
            if kanji:
                out += b"\x1b(B"
                kanji = False
            out += ch.encode("ascii")
        else:
            if not kanji:
                out += b"\x1b$B"
                kanji = True
            out += sjis_to_jis(ch.encode("cp932"))
    if kanji:
        out += b"\x1b(B"
    return bytes(out)


def bword(text: str, charset: str, encoder, max_chars=None) -> str:
    """B-encoded words, each holding whole characters (and, for ISO-2022-JP, its own escapes), folded one per line."""
    chunks, cur = [], ""
    for ch in text:
        if max_chars and len(cur) >= max_chars:
            chunks.append(cur)
            cur = ""
        cur += ch
    if cur:
        chunks.append(cur)
    words = ["=?%s?B?%s?=" % (charset, base64.b64encode(encoder(c)).decode()) for c in chunks]
    return "\r\n ".join(words)


def qword(text: str) -> str:
    enc = "".join(ch if (ch.isascii() and ch.isalnum()) else "".join("=%02X" % b for b in ch.encode("utf-8"))
                  for ch in text)
    return "=?UTF-8?Q?%s?=" % enc


def crlf(s: str) -> bytes:
    return s.replace("\r\n", "\n").replace("\n", "\r\n").encode("latin-1")


def headers(frm, subject, msgid, extra=""):
    return ("From: %s\nTo: %s\nSubject: %s\nDate: Tue, 01 Dec 2026 09:00:00 +0900\nMessage-ID: <%s@corpus.example.jp>\n"
            "MIME-Version: 1.0\n%s" % (frm, LIST, subject, msgid, extra))


def write(name, data: bytes):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


def b64lines(data: bytes) -> str:
    s = base64.b64encode(data).decode()
    return "\n".join(s[i:i + 76] for i in range(0, len(s), 76)) + "\n"


def pdf() -> bytes:
    """A one-page PDF with a correct xref table, written by hand (no library)."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Contents 4 0 R"
            b" /Resources << /Font << /F1 5 0 R >> >> >>",
            None,
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    stream = b"BT /F1 12 Tf 20 50 Td (Kitamoto minutes) Tj ET"
    objs[3] = b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream"
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


JP = lambda s: iso2022jp(s)


def main():
    # 1. ISO-2022-JP plain text, 7bit.
    body = "北本市文化協会の皆様\n\n来週の定例会は公民館で開きます。\n"
    write("iso2022jp-plain.eml", crlf(headers("Yamada Taro <yamada@example.jp>", bword("定例会のお知らせ", "ISO-2022-JP", JP),
        "iso-plain", "Content-Type: text/plain; charset=ISO-2022-JP\nContent-Transfer-Encoding: 7bit\n") + "\n")
        + crlf(JP(body).decode("latin-1")))

    # 2. Labelled ISO-2022-JP, really CP50220 with NEC special and IBM characters.
    body = "①議題 ㈱北本商事の髙橋様より\n②その他\n"
    write("iso2022jp-cp932.eml", crlf(headers("yamada@example.jp", bword("①㈱髙橋様の件", "ISO-2022-JP", JP),
        "iso-cp932", "Content-Type: text/plain; charset=iso-2022-jp\n") + "\n") + crlf(JP(body).decode("latin-1")))

    # 3. Shift_JIS (really CP932), 8bit.
    body = "髙橋です。①から③までご確認ください。\n"
    write("sjis-cp932.eml", crlf(headers("yamada@example.jp", bword("資料①～③", "Shift_JIS", lambda s: s.encode("cp932")),
        "sjis", "Content-Type: text/plain; charset=Shift_JIS\nContent-Transfer-Encoding: 8bit\n") + "\n")
        + crlf(body.encode("cp932").decode("latin-1")))

    # 4. UTF-8 multipart/alternative: quoted-printable text, base64 HTML.
    text = "皆様\n\n写真展を開催します。\n"
    html = "<html><head><meta charset=\"utf-8\"></head><body><p>皆様</p><p>写真展を開催します。</p></body></html>\n"
    qp = quopri.encodestring(text.encode("utf-8")).decode()
    write("utf8-alternative.eml", crlf(headers("suzuki@example.jp", bword("写真展のご案内", "UTF-8", lambda s: s.encode()),
        "alt", "Content-Type: multipart/alternative; boundary=\"alt-boundary\"\n") +
        "\nThis is a multi-part message in MIME format.\n--alt-boundary\n"
        "Content-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: quoted-printable\n\n" + qp +
        "\n--alt-boundary\nContent-Type: text/html; charset=UTF-8\nContent-Transfer-Encoding: base64\n\n" +
        b64lines(html.encode()) + "\n--alt-boundary--\n"))

    # 5. multipart/mixed: ISO-2022-JP text and a PDF attachment (RFC 2231 Japanese filename).
    write("minutes.pdf", pdf())
    text = "議事録を添付します。\n"
    write("mixed-pdf.eml", crlf(headers("sato@example.jp", bword("議事録", "ISO-2022-JP", JP), "mixed",
        "Content-Type: multipart/mixed; boundary=\"mix-1\"\n") +
        "\n--mix-1\nContent-Type: text/plain; charset=ISO-2022-JP\nContent-Transfer-Encoding: 7bit\n\n" +
        JP(text).decode("latin-1") +
        "\n--mix-1\nContent-Type: application/pdf; name=\"minutes.pdf\"\nContent-Transfer-Encoding: base64\n"
        "Content-Disposition: attachment; filename*=UTF-8''%E8%AD%B0%E4%BA%8B%E9%8C%B2.pdf\n\n" +
        b64lines(pdf()) + "\n--mix-1--\n"))

    # 6. A 60+ character subject, B-encoded ISO-2022-JP, folded: 8 characters per word.
    subj = ("北本市文化協会令和八年度第三回定例会議事次第および配布資料一覧ならびに"
            "次回開催日程調整についてのお知らせと出欠確認のお願い")
    assert len(subj) >= 60, len(subj)
    write("long-subject.eml", crlf(headers("yamada@example.jp", bword(subj, "ISO-2022-JP", JP, max_chars=8), "long",
        "Content-Type: text/plain; charset=ISO-2022-JP\n") + "\n") + crlf(JP("詳細は本文の通りです。\n").decode("latin-1")))

    # 7. Q-encoded UTF-8 subject, with a reply chain to collapse.
    write("q-subject.eml", crlf(headers("yamada@example.jp", "Re: [bunka:00041] " + qword("Re: 会場変更"), "q",
        "Content-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: 8bit\n") + "\n")
        + crlf("会場を変更します。\n".encode("utf-8").decode("latin-1")))

    # 8. Half-width kana (JIS X 0201) subject and body in Shift_JIS, as old Windows programs send it.
    write("hankaku-kana.eml", crlf(headers("yamada@example.jp", bword("ｶﾗｵｹ大会ｴﾝﾄﾘｰ", "Shift_JIS", lambda s: s.encode("cp932")),
        "kana", "Content-Type: text/plain; charset=Shift_JIS\nContent-Transfer-Encoding: 8bit\n") + "\n")
        + crlf("ｴﾝﾄﾘｰ受付中です。\n".encode("cp932").decode("latin-1")))

    # 9. Emoji (outside the BMP) in subject and base64 UTF-8 body.
    write("emoji.eml", crlf(headers("yamada@example.jp", bword("お祝い🎉", "UTF-8", lambda s: s.encode()), "emoji",
        "Content-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: base64\n") + "\n"
        + b64lines("優勝おめでとうございます🎉🏆\n".encode())))

    # 10. format=flowed UTF-8 (RFC 3676), whose footer must keep its lines hard.
    write("flowed.eml", crlf(headers("yamada@example.jp", bword("お知らせ", "UTF-8", lambda s: s.encode()), "flowed",
        "Content-Type: text/plain; charset=UTF-8; format=flowed; delsp=yes\nContent-Transfer-Encoding: 8bit\n") + "\n")
        + crlf("長い文章は \n折り返して送ります。\n".encode("utf-8").decode("latin-1")))

    # 11. From a docomo address with '..' and a dot before '@' (envelope and header), ISO-2022-JP.
    write("docomo-dotdot.eml", crlf(headers("taro..yamada.@docomo.ne.jp", bword("携帯から", "ISO-2022-JP", JP), "docomo",
        "Content-Type: text/plain; charset=ISO-2022-JP\nContent-Transfer-Encoding: 7bit\n") + "\n")
        + crlf(JP("携帯電話から送信しています。\n").decode("latin-1")))

    # 12. S/MIME multipart/signed (detached), signed by openssl with a throwaway self-signed certificate.
    smime()

    # 13. No Content-Type at all and an 8-bit EUC-JP body, as old Unix mail programs sent it: detected, not assumed.
    write("eucjp-unlabelled.eml", crlf(headers("yamada@example.jp", bword("旧いメールソフトから", "ISO-2022-JP", JP),
        "euc") + "\n") + crlf("北本市文化協会の定例会は、来週の土曜日に公民館で開きます。ご出席ください。\n"
        .encode("euc_jp").decode("latin-1")))


def smime():
    inner = crlf("Content-Type: text/plain; charset=ISO-2022-JP\nContent-Transfer-Encoding: 7bit\n\n"
                 + JP("署名付きの投稿です。\n").decode("latin-1"))
    with tempfile.TemporaryDirectory() as d:
        key, cert, content, signed = (os.path.join(d, n) for n in ("k.pem", "c.pem", "in.txt", "out.eml"))
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                        "-days", "36500", "-subj", "/CN=yamada@example.jp/emailAddress=yamada@example.jp"],
                       check=True, capture_output=True)
        with open(content, "wb") as f:
            f.write(inner)
        # -binary: sign the bytes as given (already CRLF); no MIME header text added (we wrote our own).
        subprocess.run(["openssl", "smime", "-sign", "-binary", "-in", content, "-signer", cert, "-inkey", key,
                        "-out", signed, "-md", "sha256"], check=True)
        with open(signed, "rb") as f:
            out = f.read()
        with open(cert, "rb") as f:
            write("signed-smime.cert.pem", f.read())
    out = out.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    hdr = crlf(headers("yamada@example.jp", bword("署名付き", "ISO-2022-JP", JP), "smime", "").replace("MIME-Version: 1.0\n", ""))
    write("signed-smime.eml", hdr + out)


if __name__ == "__main__":
    main()
