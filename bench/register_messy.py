"""Writes a messy agreement register of N rows (issue 19's benchmark): two title rows, a
two-row header with "NOMOR" merged over "PIHAK I" / "PIHAK II", Excel dates and typed ones,
terms in words, partners as people write them (Pemkab, Kab., Prov., several in one cell),
a PKS under every fifth KB, blank rows and a total row.

Usage: python3 bench/register_messy.py ROWS OUT.xlsx
"""
import csv
import datetime
import random
import sys

from openpyxl import Workbook

rows, out = int(sys.argv[1]), sys.argv[2]
rng = random.Random(19)
with open("crates/sinergi-reference/data/wilayah/regencies.csv", encoding="utf-8") as f:
    regencies = [r for r in csv.DictReader(f) if not r["parent_code"].startswith("62")]
months = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
          "September", "Oktober", "November", "Desember"]
days = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
terms = ["5 (lima) tahun", "3 th", "lima tahun", "24 bulan", "2 tahun"]
topics = ["Pariwisata", "UMKM", "Perdagangan", "Perikanan", "Kehutanan", "Transmigrasi",
          "Pendidikan", "Kesehatan", "Pertanian", "Perhubungan"]


def partner(r):
    name = r["name"]
    if name.startswith("Kabupaten "):
        return rng.choice(["Pemkab ", "Kab. ", "Pemerintah Kabupaten "]) + name[len("Kabupaten "):]
    return rng.choice(["Pemkot ", "Pemerintah Kota "]) + name[len("Kota "):]


def when(d):
    style = rng.randrange(4)
    if style == 0:
        return d  # an Excel date
    if style == 1:
        return d.strftime("%d/%m/%Y")
    if style == 2:
        return f"{d.day} {months[d.month - 1]} {d.year}"
    return f"{days[d.weekday()]}, {d.day} {months[d.month - 1]} {d.year}"


wb = Workbook()
ws = wb.active
ws.title = "Register"
ws.append(["REGISTER NASKAH KERJA SAMA DAERAH PROVINSI KALIMANTAN TENGAH"])
ws.append(["Keadaan 30 November 2026"])
ws.append([])
ws.append(["NO", "MITRA", "JENIS", "NOMOR", None, "TENTANG", "TANGGAL", "JANGKA WAKTU", "OPD PELAKSANA", "STATUS", "KETERANGAN"])
ws.append([None, None, None, "PIHAK I", "PIHAK II"])
ws.merge_cells("D4:E4")
for col in "ABCFGHIJK":
    ws.merge_cells(f"{col}4:{col}5")
kb_number = None
start = datetime.date(2010, 1, 1)
for i in range(1, rows + 1):
    d = start + datetime.timedelta(days=rng.randrange(5800))
    r = rng.choice(regencies)
    topic = rng.choice(topics)
    if i % 5 == 0 and kb_number:
        ws.append([i, partner(r), "PKS", f"500/{i}/PKS/{d.year}", None,
                   f"Pelaksanaan {topic} Bersama no. {i}", when(d), "24 bulan", "Dinas terkait",
                   "Aktif", f"Pelaksanaan KB Nomor {kb_number}"])
        continue
    kb_number = f"075/{i}/KSD/{d.year}"
    who = partner(r)
    if i % 7 == 0:
        who += "\n" + partner(rng.choice(regencies))
    ws.append([i, who, rng.choice(["KB", "Kesepakatan Bersama", "MoU"]), kb_number,
               f"B.{i}/HK/{d.year}", f"Kerja Sama Bidang {topic} no. {i}", when(d),
               rng.choice(terms), "Biro Pemerintahan", rng.choice(["Aktif", "Berakhir", ""]), None])
    if i % 500 == 0:
        ws.append([])
ws.append([f"Jumlah: {rows} naskah"])
wb.save(out)
