"""Write docs/data-spec.md, the data contract users read, from the code's own definitions.

The input tables, their headers and synonyms, the vocabularies of real systems, the
indicator codes, the official form's columns and the national index's items are taken from
``helpers`` (``ingest.spec``, ``indicators.catalogue``, ``indicators.tasks``,
``indicators.official_form``) and ``params/index766.yml``; the prose around them is below.
``tests/test_data_spec.py`` fails when the file is not what this script writes.

    python tools/make_data_spec.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

from helpers.indicators import catalogue, official_form
from helpers.indicators.tasks import WRITTEN_STATUSES
from helpers.ingest import spec
from helpers.params import (
    CHANNELS,
    ONLINE_LEVELS,
    PENDING_STATUSES,
    RATING_RESULTS,
    RESOLVED_STATUSES,
    SATISFIED,
    WITHDRAWN_STATUSES,
)

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "data-spec.md"
KIND = {"text": "văn bản", "date": "ngày", "bool": "Có/Không", "int": "số nguyên",
        "money": "số tiền (đồng)", "enum": "một trong danh sách", "float": "số"}
GROUPS = {"dossiers": "Hồ sơ TTHC", "online": "Trực tuyến, bưu chính, số hóa",
          "satisfaction": "Hài lòng", "feedback": "Phản ánh, kiến nghị",
          "procedures": "Danh mục TTHC", "tasks": "Nhiệm vụ kế hoạch", "budget": "Kinh phí",
          "self": "Chỉ số tự đánh giá", "index766": "Chỉ số QĐ 766"}
CODE_KIND = {"count": "số đếm", "rate": "tỷ lệ", "growth": "tăng trưởng", "money": "đồng",
             "number": "số"}
DIRECTION = {"higher": "cao hơn là tốt", "lower": "thấp hơn là tốt", "none": "—"}


def cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def table(header: list[str], rows: list[list[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(c) for c in r) + " |" for r in rows]
    return "\n".join(lines)


def inputs() -> str:
    parts = []
    for t in spec.TABLES.values():
        rows = []
        for f in t.fields:
            column = "bắt buộc" if f.required else "không bắt buộc"
            if f.required and not f.must_fill:
                column += " (ô được để trống)"
            note = f.help
            if f.blank:
                note = (note + "; " if note else "") + f"ô trống = {f.blank}"
            if f.values:
                note = (note + "; " if note else "") + "giá trị: " + ", ".join(f.values)
            rows.append([f"`{f.name}`", f.header, ", ".join(f.aliases) or "—", KIND[f.kind],
                         column, note or "—"])
        names = ", ".join(f"`{n}`" for n in (t.code, t.title, *t.names))
        year = (f"năm của dòng theo `{t.year_from}`" if t.year_from else
                "năm theo thư mục hoặc tên tệp; không có năm: dùng cho mọi năm (có cảnh báo)")
        key = f"; `{t.key}` không được trùng" if t.key else ""
        parts.append(f"### `{t.code}`: {t.title}\n\nTên tệp/trang tính: {names}; {year}{key}.\n\n"
                     + table(["trường", "tiêu đề", "tên khác", "kiểu", "cột", "ghi chú"], rows))
    return "\n\n".join(parts)


def vocabularies() -> str:
    channel = spec.HO_SO.field("channel")
    words = [[w, v] for w, v in channel.synonyms]
    statuses = [[w, v] for w, v in spec.STATUS_WORDS.items()]
    codes = [[c, v] for c, v in spec.NATIONAL_STATUS_CODES.items()]
    progress = {"done": "hoàn thành", "ongoing": "đang thực hiện",
                "not_started": "chưa thực hiện", None: "—"}
    timing = {"on_time": ", đúng tiến độ", "late": ", chậm/trễ hạn", None: ""}
    written = [[w, progress[r.progress] + timing[r.timing]] for w, r in WRITTEN_STATUSES.items()]
    return "\n\n".join([
        f"**Hình thức nộp** (`ho_so.channel`): giá trị chuẩn {', '.join(CHANNELS)}; ô trống = "
        f"{channel.blank}. Các cách ghi khác:\n\n" + table(["ghi trong tệp", "đọc là"], words),
        f"**Trạng thái hồ sơ** (`ho_so.status`): giá trị chuẩn — đã giải quyết: "
        f"{', '.join(RESOLVED_STATUSES)}; đang giải quyết: {', '.join(PENDING_STATUSES)}; rút, "
        f"từ chối (đếm vào `dossiers.withdrawn`, ngoài bảng): {', '.join(WITHDRAWN_STATUSES)}. "
        "Các cách ghi khác:\n\n" + table(["ghi trong tệp", "đọc là"], statuses),
        "Mã trạng thái của Cổng Dịch vụ công quốc gia:\n\n" + table(["mã", "đọc là"], codes),
        f"**Kết quả đánh giá** (`danh_gia.result`): {', '.join(RATING_RESULTS)}; hài lòng là "
        f"{' và '.join(SATISFIED)}.",
        f"**Mức độ dịch vụ công trực tuyến** (`thu_tuc.online_level`): {', '.join(ONLINE_LEVELS)}.",
        "**Tiến độ nhiệm vụ** (`nhiem_vu.status`, ghi như phụ lục kế hoạch; cụm từ khác là "
        "cảnh báo):\n\n" + table(["ghi trong tệp", "đọc là"], written),
        "**Dữ liệu cá nhân**: cột có tiêu đề là, hoặc chứa, một trong các cụm từ sau bị bỏ ngay "
        "khi đọc, không bao giờ được lưu, ghi vào báo cáo, nhật ký hay trang web: "
        + ", ".join(spec.PERSONAL_HEADERS) + ".",
    ])


def indicators() -> str:
    out = []
    for group, title in GROUPS.items():
        rows = [[f"`{e.code}`", e.label.replace("{name}", "‹tên›"), CODE_KIND[e.kind],
                 DIRECTION[e.direction], e.definition]
                for e in catalogue.entries() if e.group == group]
        if rows:
            out.append(f"### {title}\n\n" + table(["mã", "tên", "loại", "chiều", "định nghĩa"],
                                                  rows))
    return "\n\n".join(out)


def official() -> str:
    heads = {3: "Số hồ sơ nhận giải quyết: Tổng số", 4: "Trực tuyến",
             5: "Trực tiếp, dịch vụ bưu chính", 6: "Từ kỳ trước",
             7: "Số hồ sơ đã giải quyết: Tổng số", 8: "Trước hạn", 9: "Đúng hạn", 10: "Quá hạn",
             11: "Số hồ sơ đang giải quyết: Tổng số", 12: "Trong hạn", 13: "Quá hạn"}
    rows = [["(1)", "STT", "—"], ["(2)", "Lĩnh vực, công việc giải quyết theo cấp", "`field`"]]
    rows += [[f"({n})", heads[n], f"`dossiers.{code}`"] for n, code in official_form.CODES.items()]
    ident = "; ".join(f"({a}) = " + " + ".join(f"({b})" for b in bs)
                      for a, bs in official_form.IDENTITIES)
    return table(["cột", "tiêu đề", "mã chỉ số"], rows) + f"\n\nĐẳng thức trên mọi dòng: {ident}."


def index766() -> str:
    data = yaml.safe_load((ROOT / "params" / "index766.yml").read_text(encoding="utf-8"))
    rows = []
    for g in data["groups"]:
        for i in g["items"]:
            how = (f"{i.get('numerator', '')} / {i.get('denominator', '')}" if i.get("measure")
                   else "không có dữ liệu (tệp xuất không có thông tin này)")
            rows.append([g["name"], f"`index766.{i['key']}`", i["name"], f"{i['max']:g}", how])
    return (f"Nguồn: {' '.join(str(data.get('source', '')).split())}.\n\n"
            + table(["nhóm", "mã", "chỉ số thành phần", "điểm tối đa", "tử số / mẫu số"], rows))


TEMPLATE = """# Đặc tả dữ liệu và chỉ số

Tài liệu này là hợp đồng dữ liệu của cchc-reports: tệp đầu vào nào được đọc và đọc thế
nào, kỳ báo cáo và cách chốt số liệu, từng mã chỉ số và định nghĩa của nó, Biểu số
06/VPCP/KSTT và Bộ chỉ số phục vụ người dân, doanh nghiệp (QĐ 766/QĐ-TTg). Các bảng của tài
liệu được sinh từ chính mã nguồn (`python tools/make_data_spec.py`), nên luôn đúng với phần
mềm.

## 1. Đặt tệp đầu vào

- Mỗi cơ quan một thư mục `data/raw/<mã-cơ-quan>/`, đặt tệp ở độ sâu tùy ý, kể cả để phẳng
  ngay trong thư mục, giữ nguyên tên tệp phần mềm xuất ra. Tệp `.xlsx`, `.xlsm`, `.xls`
  (kể cả trang HTML lưu đuôi `.xls` của các cổng dịch vụ công), `.ods`, `.csv` (UTF-8 có
  hoặc không BOM, UTF-16, Windows-1258; dấu phân cách `;`, `,` hoặc tab).
- Mỗi tệp hoặc trang tính được nhận là một bảng theo tên trang tính, tên tệp, hoặc — khi
  cả hai không nói gì, như `DanhSachHoSo_20251016.xlsx`, trang `Sheet1` — theo dòng tiêu đề
  cột. `cchc check` nói từng tệp được nhận là bảng nào và vì sao; hai bảng khớp ngang nhau
  là lỗi nêu tên cả hai.
- Dòng tiêu đề báo cáo, ô gộp, dòng trống, tiêu đề cột 2–3 tầng có ô cha gộp, dòng đánh
  số cột `(1) (2) (3) …` dưới tiêu đề, dòng tổng cộng và khối chữ ký cuối bảng được bỏ qua
  và được đếm. Ngày ghi `dd/mm/yyyy`, `d/m/yy`, `yyyy-mm-dd`, "ngày 05 tháng 3 năm 2019",
  ngày Excel, có hoặc không kèm giờ (chỉ ngày được tính, như Biểu 06 tính theo ngày); Có/Không,
  x, 1/0; số tiền "1.800.000".
- Năm của một bảng không có cột ngày (danh mục TTHC, kế hoạch, kinh phí, chỉ số tự đánh
  giá) lấy theo thư mục năm hoặc năm trong tên tệp; bảng không có năm dùng cho mọi năm (có
  cảnh báo), bản có năm thắng cho năm của nó. Số liệu cùng kỳ thiếu thì báo cáo ghi "không
  có số liệu cùng kỳ".
- Mọi trang tính của một tệp được nhận đều được đọc (trang ẩn chứa bảng cũng đọc, có cảnh
  báo) hoặc bị từ chối với lỗi nói vì sao; tệp không đọc được gì là lỗi. Số dòng đọc = số
  dòng nhận + số dòng loại, kiểm tra cho từng tệp và từng cơ quan trước khi lập báo cáo: một
  lỗi dữ liệu đầu vào dừng báo cáo của cơ quan đó (không lập báo cáo từ một phần dữ liệu) và
  giữ nguyên báo cáo đã lập trước.
- Không đọc gì ngoài `data/raw/<mã-cơ-quan>/` (liên kết tượng trưng trỏ ra ngoài bị từ chối);
  kích thước tệp, dung lượng giải nén và số dòng mỗi trang tính có giới hạn trong
  `params/limits.yml`, kiểm tra trước khi mở tệp.
- Thông báo lỗi nêu tệp, trang tính, dòng Excel, cột và quy tắc bị vi phạm; chỉ trích giá
  trị ô của các cột không chứa dữ liệu cá nhân (danh mục giá trị, mã thủ tục).

## 2. Các bảng đầu vào

Cột được nhận theo tiêu đề tiếng Việt, tên trường, hoặc tên khác (không phân biệt hoa
thường, dấu, khoảng trắng); hệ thống nguồn có tiêu đề khác được ánh xạ bằng
`params/mappings/<hệ-thống>.yml` (mục 4). Trường không bắt buộc có thể vắng: phần báo cáo cần
nó ghi "không có dữ liệu", chỉ số là `null`, không bao giờ là 0.

{inputs}

## 3. Từ vựng của các hệ thống thực tế

Các cách ghi dưới đây được đọc thành giá trị chuẩn (so khớp không phân biệt hoa thường,
dấu); cách ghi riêng của một hệ thống thêm vào mục `values` của tệp ánh xạ. Giá trị lạ là lỗi
nêu giá trị, tệp, dòng và tệp ánh xạ cần bổ sung.

{vocabularies}

## 4. Ánh xạ hệ thống nguồn

`params/mappings/<hệ-thống>.yml` có hai mục: `columns` (bảng → tiêu đề trong tệp → trường) và
`values` (bảng → trường → cách ghi → giá trị chuẩn); cơ quan dùng nó ghi
`source_system: <hệ-thống>` trong `params/agencies.yml`. `cchc map TỆP --system TÊN` viết bản
nháp từ một tệp xuất có tiêu đề lạ: mỗi cột kèm trường đoán được (theo tên và theo giá trị),
đánh dấu "XÁC NHẬN" để người dùng kiểm tra; không ghi giá trị của cột có thể chứa dữ liệu cá
nhân.

## 5. Kỳ báo cáo

Mã kỳ: `YYYY-Qn` (Quý n), `YYYY-H1` = `YYYY-6M` (6 tháng đầu năm), `YYYY-nM` (n tháng đầu
năm, n = 1..12; `YYYY-9M` là 9 tháng), `YYYY-FY` = `YYYY-12M` (năm), `YYYY-MM` (một tháng),
hoặc `previous`: với mỗi cơ quan, kỳ báo cáo định kỳ (quý I, 6 tháng, 9 tháng, năm) vừa
chốt theo quy tắc của chính cơ quan đó. Nhãn trong báo cáo: "Quý III/2019", "6 tháng đầu
năm 2019", "9 tháng đầu năm 2019", "Năm 2019", "Tháng 10/2019".

Hai quy tắc chốt số liệu, chọn cho từng cơ quan (`rule` trong `params/agencies.yml`):

- `calendar`: theo tháng dương lịch (2019-Q1 = 01/01/2019–31/03/2019).
- `decree09` (Nghị định 09/2019/NĐ-CP): từ ngày 15 tháng trước kỳ đến ngày 14 tháng cuối kỳ.
  2019-Q1 = 15/12/2018–14/03/2019; 2019-H1 = 15/12/2018–14/06/2019; 2019-FY =
  15/12/2018–14/12/2019.

Kỳ so sánh là cùng kỳ năm trước. Mọi báo cáo ghi thời gian lấy số liệu ở trang đầu. Hạn nộp
báo cáo theo `params/periods.yml`.

## 6. Chỉ số

Ghi cho từng cơ quan và kỳ vào `indicators.json`: `agency`, `period`, `period_label`,
`window` (`start`, `end`), `comparable_window`, `rule`, `indicators` (mã → `value`,
`numerator`, `denominator`, `target`, `met`, `comparable`; chỉ số QĐ 766 có thêm `points`,
`max`), `tables` (`dossier_flow` theo lĩnh vực, nhiệm vụ theo nhóm và đơn vị, kinh phí,
chỉ tiêu phân bổ, `children` của báo cáo tổng hợp) và `report` (tên cơ quan, cơ quan chủ
quản, số và ký hiệu văn bản, người ký). Không có thời điểm lập: cùng dữ liệu cho cùng tệp.
Số đếm là số nguyên; tỷ lệ là phân số trong JSON (0.9997) và phần trăm có dấu phẩy thập phân
trong báo cáo ("99,97%"); tỷ lệ có mẫu số 0 là `null`, hiện "không phát sinh"; dữ liệu vắng
là `null`, hiện "không có dữ liệu". Tăng trưởng = (kỳ này − cùng kỳ) / cùng kỳ.

Chỉ tiêu (`params/targets.yml`) là phân số (0,95 viết `0.95`); `met` là true/false theo chiều
tốt của chỉ số, `null` khi không có chỉ tiêu. Chỉ tiêu "ít nhất r của N thủ tục" cần ⌈r·N⌉;
phân bổ cho các đơn vị có nᵢ thủ tục: mỗi đơn vị ⌊r·nᵢ⌋, phần dư cho phần lẻ lớn nhất (bằng
nhau: đơn vị lớn hơn), tổng đúng bằng chỉ tiêu chung; chỉ tiêu thứ hai áp lên kết quả của chỉ
tiêu thứ nhất theo cùng quy tắc.

{indicators}

## 7. Biểu số 06/VPCP/KSTT

"Tình hình, kết quả giải quyết TTHC tại cơ quan, đơn vị trực tiếp giải quyết TTHC" (Thông tư
01/2020/TT-VPCP; cùng mẫu Biểu II.06a). Tên đơn vị báo cáo, đơn vị nhận báo cáo, "Kỳ báo
cáo: từ ngày … đến ngày …", "Đơn vị tính: Số hồ sơ TTHC"; mỗi lĩnh vực một dòng và dòng tổng
cộng. Trang tính "Biểu 06" của `tables.xlsx` (in A4 ngang), phụ lục của DOCX, PDF và trang
web. Các cột là các mã của bảng tình hình giải quyết hồ sơ:

{official}

## 8. Bộ chỉ số phục vụ người dân, doanh nghiệp (QĐ 766/QĐ-TTg)

Điểm = điểm tối đa × tỷ lệ, không vượt điểm tối đa; trọng số, điểm tối đa và cách diễn đạt
ở `params/index766.yml`. Chỉ số thành phần mà tệp xuất không có thông tin ghi "không có dữ
liệu" kèm điểm tối đa; tỷ lệ có mẫu số 0 là "không phát sinh" và điểm tối đa của nó không
tính vào điểm tối đa đo được. Khi cơ quan không tiếp nhận phản ánh, kiến nghị nào, điểm của
chỉ số phản ánh, kiến nghị chia đều cho các chỉ số còn lại của nhóm. Chỉ số được trình bày
theo hai cách: điểm trên 100 và điểm trên điểm tối đa đo được (`index766.total`: `points`,
`max`, `measured_max`). `index766.tien_do` khác `rate.on_time`: nó tính cả hồ sơ đang giải
quyết ở cuối kỳ, hồ sơ đã quá hạn bị trừ.

{index766}

## 9. Báo cáo tổng hợp của cơ quan cấp trên

Một cơ quan khai báo trong `params/agencies.yml` mà các cơ quan khác ghi `parent: <mã>` có
báo cáo tổng hợp của kỳ tại `reports/<kỳ>/<mã-cơ-quan-cấp-trên>/`: `dossiers.*` là tổng của
các cơ quan trực thuộc (đọc từ `indicators.json` của chúng, không tính lại), Biểu 06 tổng
hợp theo phần "Sở, ban, ngành" / "UBND cấp huyện" / "UBND cấp xã", mỗi cơ quan một dòng, xếp
hạng theo chỉ số QĐ 766, và danh sách cơ quan chưa có báo cáo; cơ quan có quy tắc chốt số liệu
khác được ghi rõ cùng thời gian lấy số liệu của nó. `parent_name` là tên cơ quan chủ quản
không khai báo (hiện ở đầu văn bản).
"""


def render() -> str:
    return TEMPLATE.format(inputs=inputs(), vocabularies=vocabularies(),
                           indicators=indicators(), official=official(), index766=index766())


if __name__ == "__main__":
    OUT.write_text(render(), encoding="utf-8")
    print(OUT, file=sys.stderr)
