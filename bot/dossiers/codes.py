"""Dossier codes (mã hồ sơ), Thông tư 01/2018/TT-VPCP Điều 19: `V1V2V3.Z1Z2.Y1Y2.MX1X2-YYMMDD-XXXX`.

The office code comes first (QCVN 102:2016; `H29` is HCMC), then the date received and the day's
sequence number. Receipts also print shortened office codes (`38.98.H29-210519-0003`).
"""

# Tolerant form found in free text: lower case, spaces around separators, missing leading zeros.
CODE_IN_TEXT_PATTERN = r"\b(?:\d{1,3}\s*\.\s*){1,3}[A-Za-z]\d{1,2}\s*-\s*\d{6}\s*-\s*\d{1,4}\b"
