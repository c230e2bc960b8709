"""Configuration read from ``params/``: agencies, targets, deadlines, index weights, mappings.

Every file is validated by a schema (pydantic) when it is loaded, so a mistake is refused
at ``cchc check`` and at the start of every command with one Vietnamese line naming the
file, the key path and the expected form, never later as a wrong figure or a traceback.

This module also fixes the *vocabulary of the normalised tables*: the canonical values
ingestion maps every export's wording onto and the figures compare against. It is data
shared by reading and computing, so it lives here, beside the other configuration.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import re
from datetime import date
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from .text import SAFE_ID

# ---------------------------------------------------------------- the tables' vocabulary

Rule = Literal["calendar", "decree09"]
RULES: tuple[Rule, ...] = ("calendar", "decree09")

ONLINE, DIRECT, POSTAL = "Trực tuyến", "Trực tiếp", "Bưu chính công ích"
CHANNELS = (DIRECT, ONLINE, POSTAL)
WITHDRAWN_STATUSES = ("Rút hồ sơ", "Từ chối")
RESOLVED_STATUSES = ("Đã giải quyết", "Đã trả kết quả")
PENDING_STATUSES = ("Đang giải quyết", "Đang xử lý")
RATING_RESULTS = ("Rất hài lòng", "Hài lòng", "Bình thường", "Không hài lòng")
SATISFIED = ("Rất hài lòng", "Hài lòng")
ONLINE_LEVELS = ("Toàn trình", "Một phần", "Không")
ONLINE_LEVELS_COUNTED = ("Toàn trình", "Một phần")
TASK_STATUSES = ("Hoàn thành", "Hoàn thành trễ hạn", "Đang thực hiện", "Chưa thực hiện")

CATALOGUE = Path(__file__).parent / "indicators" / "catalogue.yml"


class UsageError(ValueError):
    """A mistake in how the tool was asked to run (configuration, arguments): the user
    fixes it; ``str()`` is the message for them, in Vietnamese."""


class ConfigError(UsageError):
    """A ``params/`` file that cannot be used."""


# ---------------------------------------------------------------- schema

def _no_extra() -> ConfigDict:
    return ConfigDict(extra="forbid", frozen=True)


def _text(v: Any) -> Any:
    if isinstance(v, str) and _CONTROL.search(v):
        # a terminal, a YAML front matter or a DOCX would each read them their own way
        raise ValueError("chứa ký tự điều khiển (xuống dòng, tab, mã ESC): viết trên một dòng")
    return v.strip() if isinstance(v, str) else v


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
Text = Annotated[str, BeforeValidator(_text), Field(min_length=1)]
Label = Annotated[str, BeforeValidator(_text)]  # a text that may be empty


class At(ValueError):
    """A validation error deeper than the field that raised it: ``at`` is the rest of
    the key path (a year, an indicator code), so the message names the very key."""

    def __init__(self, message: str, *at: object) -> None:
        super().__init__(message)
        self.at = at


def vn_number(value: float) -> str:
    """95.0 → "95", 0.95 → "0,95": a number as the Vietnamese reader writes it."""
    return f"{value:.4f}".rstrip("0").rstrip(".").replace(".", ",")


class Unit(BaseModel):
    model_config = _no_extra()
    code: Text
    name: Text


class Agency(BaseModel):
    """An agency reported on. ``parent`` names a declared agency by id (its reports are
    compiled into the parent's) or, for an undeclared one, the name the DOCX header shows."""

    model_config = _no_extra()
    id: str
    name: Text
    short_name: Text | None = None
    symbol: Label = ""
    province: Label = ""
    place: Label = ""
    level: Label = ""
    parent: Label | None = None
    parent_name: Label | None = None
    rule: Rule = "decree09"
    deadline_style: str | None = None
    source_system: str | None = None
    units: tuple[Unit, ...] = ()

    @field_validator("id")
    @classmethod
    def _slug(cls, v: str) -> str:
        if not SAFE_ID.match(v):
            raise ValueError("phải là chữ thường không dấu, số và dấu “-” (vd. so-noi-vu-dong-nai)")
        return v

    @model_validator(mode="after")
    def _defaults(self) -> Agency:
        if self.short_name is None:
            object.__setattr__(self, "short_name", self.name)
        if not self.place:
            object.__setattr__(self, "place", self.province)
        return self


class AgenciesFile(BaseModel):
    model_config = _no_extra()
    agencies: list[Agency] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> AgenciesFile:
        seen: set[str] = set()
        for a in self.agencies:
            if a.id in seen:
                raise ValueError(f"mã cơ quan “{a.id}” khai báo hai lần")
            seen.add(a.id)
        return self


def _rate(value: float) -> float:
    """A rate is a fraction: 95 % is written 0.95 (a 95 would make every report say
    "chưa đạt 9500 %")."""
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError("cần một số hữu hạn")
    if value > 1:
        raise ValueError(f"tỷ lệ phải nằm trong [0, 1]: viết {vn_number(value / 100)} thay vì "
                         f"{vn_number(value)}")
    if value < 0:
        raise ValueError("tỷ lệ không được âm (trong [0, 1], vd. 0.95)")
    return value


def _rate_or_number(code: str, value: float) -> float:
    if _kind_of(code) == "rate":
        return _rate(value)
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError("cần một số hữu hạn")
    if value < 0:
        raise ValueError("chỉ tiêu không được âm")
    return value


Year = Annotated[int, Field(ge=2000, le=2100)]


class ApportionSpec(BaseModel):
    model_config = _no_extra()
    code: Literal["procedures.online", "procedures.online_full", "procedures.total"]
    label: Text
    rate: float
    of: str | None = None

    @field_validator("rate")
    @classmethod
    def _fraction(cls, v: float) -> float:
        return _rate(v)


class TargetsFile(BaseModel):
    model_config = _no_extra()
    years: dict[Year, dict[str, float]] = {}
    agencies: dict[str, dict[Year, dict[str, float]]] = {}
    apportion: dict[Year, list[ApportionSpec]] = {}

    @field_validator("years")
    @classmethod
    def _years(cls, v: dict[int, dict[str, float]]) -> dict[int, dict[str, float]]:
        return {y: _checked_targets(t, y) for y, t in v.items()}

    @field_validator("agencies")
    @classmethod
    def _agencies(cls, v: dict[str, dict[int, dict[str, float]]]
                  ) -> dict[str, dict[int, dict[str, float]]]:
        return {a: {y: _checked_targets(t, a, y) for y, t in by_year.items()}
                for a, by_year in v.items()}

    @field_validator("apportion")
    @classmethod
    def _chain(cls, v: dict[int, list[ApportionSpec]]) -> dict[int, list[ApportionSpec]]:
        for specs in v.values():
            earlier: set[str] = set()
            for s in specs:
                if s.of is not None and s.of not in earlier:
                    raise ValueError(f"“of: {s.of}” phải là mã của một chỉ tiêu đứng trước")
                earlier.add(s.code)
        return v


def _checked_targets(targets: dict[str, float], *at: object) -> dict[str, float]:
    out = {}
    for code, value in targets.items():
        if not known_code(code):
            raise At(f"mã chỉ số “{code}” không có trong danh mục chỉ số "
                     "(src/helpers/indicators/catalogue.yml)", *at, code)
        try:
            out[code] = _rate_or_number(code, float(value))
        except ValueError as exc:
            raise At(str(exc), *at, code) from None
    return out


DayMonth = Annotated[str, Field(pattern=r"^\d{1,2}/\d{1,2}$")]


class PeriodsFile(BaseModel):
    model_config = _no_extra()
    deadline_styles: dict[str, dict[Literal["Q1", "H1", "9M", "FY"], DayMonth]] = {}

    @field_validator("deadline_styles")
    @classmethod
    def _real_days(cls, v: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
        for name, style in v.items():
            for key, dm in style.items():
                d, m = (int(x) for x in dm.split("/"))
                try:
                    date(2020, m, d)  # a leap year: 29/02 is a day
                except ValueError:
                    raise At(f"“{dm}” không phải ngày/tháng có thật (dd/mm)", name, key) from None
        return v


class ScoreGroup(BaseModel):
    model_config = _no_extra()
    name: Text
    weight: float = Field(gt=0)
    indicators: list[str] = Field(min_length=1)

    @field_validator("indicators")
    @classmethod
    def _known(cls, v: list[str]) -> list[str]:
        for code in v:
            if not known_code(code):
                raise ValueError(f"mã chỉ số “{code}” không có trong danh mục chỉ số")
        return v


class ScoreFile(BaseModel):
    model_config = _no_extra()
    label: Label = "Điểm tổng hợp"
    groups: list[ScoreGroup] = []


INDEX766_MEASURES = ("published_procedures", "progress", "online_full", "paid_online", "e_result",
                     "digitized", "feedback_on_time", "dossier_satisfaction")
Measure = Literal["published_procedures", "progress", "online_full", "paid_online", "e_result",
                  "digitized", "feedback_on_time", "dossier_satisfaction"]
Key = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]


class Index766Item(BaseModel):
    """A sub-indicator of the national index: its maximum and what the data measures for
    it (``measure``; none: the exports do not carry its inputs, "không có dữ liệu")."""

    model_config = _no_extra()
    key: Key
    name: Text
    max: float = Field(gt=0)
    measure: Measure | None = None
    numerator: str = ""
    denominator: str = ""
    lost: str = ""  # what counts against it, for the "what to fix" tables
    feedback: bool = False  # its points move to the group's other items without feedback


class Index766Group(BaseModel):
    model_config = _no_extra()
    key: Key
    name: Text
    max: float = Field(gt=0)
    items: list[Index766Item] = Field(min_length=1)

    @model_validator(mode="after")
    def _adds_up(self) -> Index766Group:
        total = sum(i.max for i in self.items)
        if abs(total - self.max) > 1e-9:
            raise ValueError(f"nhóm “{self.key}”: tổng điểm tối đa của các chỉ số thành phần "
                             f"là {total:g}, khác điểm tối đa của nhóm {self.max:g}")
        return self


class Index766File(BaseModel):
    """``params/index766.yml``: the national service index (QĐ 766/QĐ-TTg)."""

    model_config = _no_extra()
    source: str = ""
    total: float = 100
    groups: list[Index766Group] = []

    @model_validator(mode="after")
    def _adds_up(self) -> Index766File:
        keys = [i.key for g in self.groups for i in g.items]
        dup = sorted({k for k in keys if keys.count(k) > 1})
        if dup:
            raise ValueError(f"mã chỉ số thành phần khai báo hai lần: {', '.join(dup)}")
        total = sum(g.max for g in self.groups)
        if self.groups and abs(total - self.total) > 1e-9:
            raise ValueError(f"tổng điểm tối đa của các nhóm là {total:g}, khác {self.total:g}")
        return self


class Limits(BaseModel):
    """What one input file may cost before it is read (``params/limits.yml``): an export
    bigger than these is refused with a message, never read until memory runs out. The
    defaults hold a national one-stop-shop export (a million rows is Excel's own limit)."""

    model_config = _no_extra()
    max_file_mb: float = Field(200, gt=0)
    max_unpacked_mb: float = Field(1000, gt=0)  # xlsx/ods are zip files: declared sizes
    max_compression_ratio: float = Field(200, ge=2)  # per zip member above 1 MB unpacked
    max_rows_per_sheet: int = Field(1_048_576, gt=0)


PeriodId = Annotated[str, Field(pattern=r"^\d{4}-(Q[1-4]|H[12]|\d{1,2}M|FY|\d{2})$")]


class ReportInfo(BaseModel):
    """What a signed report says that the data cannot: its number and date, who signs it,
    who receives it and the "Căn cứ" it answers (Nghị định 30/2020/NĐ-CP). A field left
    unset stays blank (dotted) in the document: a date is never invented."""

    model_config = _no_extra()
    number: Text | None = None  # "4317" → "Số: 4317/BC-SVHTT"
    date: dt.date | None = None
    sign_for: Text | None = None  # thẩm quyền ký: "KT. GIÁM ĐỐC", "TM. ỦY BAN NHÂN DÂN"
    signer_title: Text | None = None  # "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"
    signer_name: Text | None = None
    recipients: tuple[Text, ...] | None = None  # Nơi nhận, without the final "Lưu: …"
    archive: Text | None = None  # "VT, CCHC" → "- Lưu: VT, CCHC."
    bases: tuple[Text, ...] | None = None  # "Căn cứ …" lines, each a whole sentence

    @field_validator("number")
    @classmethod
    def _number(cls, v: str | None) -> str | None:
        if v is not None and "/" in v:
            raise ValueError("chỉ ghi số (vd. 4317); ký hiệu “/BC-…” lấy từ symbol của cơ quan")
        return v


class AgencyReports(ReportInfo):
    periods: dict[PeriodId, ReportInfo] = {}


class ReportsFile(BaseModel):
    """``params/reports.yml``: defaults, then per agency, then per agency and period."""

    model_config = _no_extra()
    default: ReportInfo = ReportInfo()
    agencies: dict[str, AgencyReports] = {}

    def info(self, agency_id: str, period: str | None) -> dict[str, Any]:
        """The fields set for a report, the most specific level winning field by field."""
        merged = self.default.model_dump(exclude_none=True)
        own = self.agencies.get(agency_id)
        if own is not None:
            merged.update(own.model_dump(exclude_none=True, exclude={"periods"}))
            if period in own.periods:
                merged.update(own.periods[period].model_dump(exclude_none=True))
        return merged


class MappingFile(BaseModel):
    """A source system's headers and values (``params/mappings/<system>.yml``)."""

    model_config = _no_extra()
    columns: dict[str, dict[str, str]] = {}
    values: dict[str, dict[str, dict[str, str]]] = {}


# ---------------------------------------------------------------- the loaded configuration

class Params:
    """Everything of ``params/``, validated."""

    def __init__(self, root: Path, agencies: list[Agency], targets: TargetsFile,
                 periods: PeriodsFile, score: ScoreFile,
                 index766: Index766File | None = None, limits: Limits | None = None,
                 reports: ReportsFile | None = None
                 ) -> None:
        self.root = root
        self.agencies: dict[str, Agency] = {a.id: a for a in agencies}
        self.targets = targets
        self.periods = periods
        self.score = score
        self.index766 = index766 or Index766File()
        self.limits = limits or Limits()
        self.reports = reports or ReportsFile()

    def agency(self, agency_id: str) -> Agency:
        try:
            return self.agencies[agency_id]
        except KeyError:
            raise ConfigError(f"cơ quan “{agency_id}” chưa được khai báo trong "
                              f"{self.root / 'agencies.yml'}; đã khai báo: "
                              f"{', '.join(sorted(self.agencies))}") from None

    def targets_for(self, agency_id: str, year: int) -> dict[str, float]:
        """Targets of the year, with the agency's own overrides on top."""
        out = dict(self.targets.years.get(year, {}))
        out.update(self.targets.agencies.get(agency_id, {}).get(year, {}))
        return out

    def apportioned_targets(self, year: int) -> list[dict[str, Any]]:
        """The per-unit targets of ``targets.yml`` → ``apportion`` for a year."""
        return [s.model_dump() for s in self.targets.apportion.get(year, [])]

    def deadline_style(self, agency: Agency) -> dict[str, str] | None:
        if not agency.deadline_style:
            return None
        return self.periods.deadline_styles.get(agency.deadline_style)

    def mapping_file(self, agency: Agency) -> tuple[str, MappingFile] | None:
        """The agency's source-system mapping (name, content), or None."""
        if not agency.source_system:
            return None
        return agency.source_system, load_mapping(self.root, agency.source_system)

    def parent_name(self, agency: Agency) -> str:
        """The cơ quan chủ quản shown above the agency's name in the DOCX header. A
        People's Committee, or a body that compiles for others, with none declared has no
        line above its name (Nghị định 30/2020, Phụ lục I: UBND tỉnh heads its own
        documents); anything else falls back to its province."""
        if agency.parent in self.agencies:
            return self.agencies[agency.parent].name
        if agency.parent_name or agency.parent:
            return agency.parent_name or agency.parent or ""
        heads_itself = (agency.name.casefold().startswith(("ủy ban nhân dân", "uỷ ban nhân dân",
                                                           "ubnd"))
                        or bool(self.children(agency.id)))
        return "" if heads_itself else agency.province

    def about(self, agency: Agency, period: str | None = None) -> dict[str, Any]:
        """What documents made from a report say of its agency: names, the cơ quan chủ
        quản above it, ký hiệu and place; for a period, the signed report's number, date,
        signer, recipients and "Căn cứ" (``reports.yml``); and the agencies declared, so
        that publishing knows when a period is complete. Written into ``indicators.json``:
        publishing reads outputs, not configuration."""
        about: dict[str, Any] = {
            "name": agency.name, "short_name": agency.short_name or agency.name,
            "parent_name": self.parent_name(agency), "symbol": agency.symbol,
            "place": agency.place, "province": agency.province, "level": agency.level}
        if period is not None:
            doc = self.reports.info(agency.id, period)
            if "date" in doc:
                doc["date"] = doc["date"].isoformat()
            about["document"] = {k: list(v) if isinstance(v, tuple) else v
                                 for k, v in doc.items()}
            about["declared_agencies"] = sorted(self.agencies)
        return about

    def children(self, parent_id: str) -> list[Agency]:
        return [a for a in self.agencies.values() if a.parent == parent_id]


# ---------------------------------------------------------------- loading

def _read_yaml(path: Path) -> Any:
    try:
        with open(path, encoding="utf-8") as fh:
            return yaml.safe_load(fh)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", dòng {mark.line + 1}" if mark is not None else ""
        raise ConfigError(f"{path}{where}: không phải YAML hợp lệ") from None
    except OSError as exc:
        raise ConfigError(f"{path}: không đọc được ({exc.strerror})") from None


def _validated(model: type[BaseModel], path: Path, data: Any) -> Any:
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: cần một bảng khóa: giá trị ở mức ngoài cùng "
                          "(vd. “agencies:”), không phải danh sách hay văn bản")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(_explain(path, exc)) from None


_EXPECTED = {
    "missing": "thiếu khóa bắt buộc",
    "extra_forbidden": "khóa không được hỗ trợ (kiểm tra chính tả)",
    "string_type": "cần một chuỗi văn bản",
    "string_too_short": "không được để trống",
    "float_parsing": "cần một số (vd. 0,95 viết là 0.95)",
    "float_type": "cần một số",
    "int_parsing": "cần một số nguyên",
    "int_type": "cần một số nguyên",
    "list_type": "cần một danh sách (mỗi mục bắt đầu bằng “- ”)",
    "dict_type": "cần một bảng khóa: giá trị",
    "model_type": "cần một bảng khóa: giá trị",
    "too_short": "không được để trống",
    "string_pattern_mismatch": "sai dạng (ngày/tháng viết dd/mm)",
    "greater_than_equal": "quá nhỏ",
    "less_than_equal": "quá lớn",
    "greater_than": "phải lớn hơn 0",
}


def _explain(path: Path, exc: ValidationError) -> str:
    lines = []
    for err in exc.errors()[:5]:
        loc = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in err["loc"]).lstrip(".")
        kind = err["type"]
        if kind == "value_error":
            error = err.get("ctx", {}).get("error", err["msg"])
            text = str(error)
            loc = ".".join(x for x in (loc, *map(str, getattr(error, "at", ()))) if x)
        elif kind == "literal_error":
            text = "phải là một trong: " + str(err.get("ctx", {}).get("expected", ""))
        else:
            text = _EXPECTED.get(kind, err["msg"])
        lines.append(f"{path}: {loc or '(toàn tệp)'}: {text}")
    more = len(exc.errors()) - 5
    return "\n".join(lines) + (f"\n… và {more} lỗi khác" if more > 0 else "")


def load_limits(root: Path | str = "params") -> Limits:
    """``params/limits.yml``, or the safe defaults when there is none."""
    path = Path(root) / "limits.yml"
    return _validated(Limits, path, _read_yaml(path)) if path.is_file() else Limits()


def load_mapping(root: Path, system: str) -> MappingFile:
    if not SAFE_ID.match(system):
        raise ConfigError(f"source_system “{system}” không hợp lệ (chữ thường, số, “-”)")
    path = root / "mappings" / f"{system}.yml"
    if not path.is_file():
        raise ConfigError(f"source_system “{system}” chưa có tệp ánh xạ {path} "
                          "(tạo bằng `cchc map TỆP`)")
    return _validated(MappingFile, path, _read_yaml(path))


def load_params(root: Path | str = "params") -> Params:
    """Read and validate every file of ``params/``; raise ``ConfigError`` with the reason."""
    root = Path(root)
    path = root / "agencies.yml"
    if not path.is_file():
        raise ConfigError(f"không tìm thấy {path}: khai báo các cơ quan ở đó (xem README)")
    data = _read_yaml(path)
    if data is None:
        raise ConfigError(f"{path}: tệp trống; khai báo ít nhất một cơ quan dưới “agencies:” "
                          "(xem README, mục Adding an agency)")
    agencies = _validated(AgenciesFile, path, data).agencies
    optional = {name: _validated(model, root / f"{name}.yml", _read_yaml(root / f"{name}.yml"))
                if (root / f"{name}.yml").is_file() else model()
                for name, model in (("targets", TargetsFile), ("periods", PeriodsFile),
                                    ("score", ScoreFile), ("index766", Index766File),
                                    ("limits", Limits), ("reports", ReportsFile))}
    params = Params(root, agencies, **optional)
    _check_references(params)
    return params


def _check_references(params: Params) -> None:
    """What one file says about another: styles, systems and agencies named must exist."""
    problems = []
    for i, a in enumerate(params.agencies.values()):
        where = f"{params.root / 'agencies.yml'}: agencies[{i}]"
        if a.deadline_style and a.deadline_style not in params.periods.deadline_styles:
            problems.append(f"{where}.deadline_style: “{a.deadline_style}” không có trong "
                            f"periods.yml (có: {', '.join(params.periods.deadline_styles)})")
        if a.source_system:
            try:
                load_mapping(params.root, a.source_system)
            except ConfigError as exc:
                problems.append(f"{where}.source_system: {exc}")
        if a.parent and SAFE_ID.match(a.parent) and a.parent not in params.agencies:
            problems.append(f"{where}.parent: “{a.parent}” không phải cơ quan đã khai báo "
                            "(ghi tên đầy đủ của cơ quan chủ quản vào parent_name)")
    for a in params.agencies.values():  # a parent must not be its own ancestor
        chain, up = [a.id], a.parent
        while up in params.agencies:
            if up in chain:
                problems.append(f"{params.root / 'agencies.yml'}: {a.id}: parent tạo thành vòng "
                                f"({' → '.join([*chain, up])})")
                break
            chain.append(up)
            up = params.agencies[up].parent
    for name, declared in (("targets", params.targets.agencies),
                           ("reports", params.reports.agencies)):
        for aid in declared:
            if aid not in params.agencies:
                problems.append(f"{params.root / f'{name}.yml'}: agencies.{aid}: cơ quan chưa "
                                "khai báo trong agencies.yml")
    if problems:
        raise ConfigError("\n".join(problems))


# ---------------------------------------------------------------- indicator codes

@cache
def _catalogue() -> tuple[tuple[str, str], ...]:
    """(code or pattern, kind) of every entry of the indicator catalogue. The catalogue is
    data beside the figures; only its codes are read here, to refuse unknown ones."""
    entries = yaml.safe_load(CATALOGUE.read_text(encoding="utf-8"))["indicators"]
    return tuple((e["code"], e["kind"]) for e in entries)


def known_code(code: str) -> bool:
    return any(fnmatch.fnmatchcase(code, pattern) for pattern, _ in _catalogue())


def _kind_of(code: str) -> str:
    return next((k for p, k in _catalogue() if fnmatch.fnmatchcase(code, p)), "")

