"""The case store's tables (SQLAlchemy 1.4, 2.0 style).

Money is kept in exact hundredths (`Cents`) and seen as `Decimal`; no collection fee is ever charged to the debtor, so a
case's claim is only principal + interest + accessory amounts (legitimate costs such as a rejected
direct-debit fee). What is still due is derived from the claim and the payments, never stored twice.
"""

from __future__ import annotations

import enum
from decimal import Decimal

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()
ZERO = Decimal("0.00")
CENT = Decimal("0.01")


class Cents(TypeDecorator):
    """A euro amount (or a percentage) kept exactly as a whole number of hundredths.

    SQLite has no exact decimal type, so every backend stores integers and Python sees `Decimal`s.
    """

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: Decimal | int | None, dialect: object) -> int | None:
        if value is None:
            return None
        hundredths = Decimal(value) * 100
        if hundredths != hundredths.to_integral_value():
            raise ValueError(f"{value} has more than two decimals")
        return int(hundredths)

    def process_result_value(self, value: int | None, dialect: object) -> Decimal | None:
        return None if value is None else (Decimal(value) * CENT).quantize(CENT)


def _enum(python_enum: type[enum.Enum], name: str) -> Enum:
    """A portable enum column storing the member values (French words), checked by the database."""
    return Enum(
        python_enum,
        name=name,
        values_callable=lambda members: [member.value for member in members],
        native_enum=False,
        create_constraint=True,
        length=20,
    )


class Sector(str, enum.Enum):
    TELECOM = "telecom"
    ENERGIE = "energie"
    CREDIT_CONSO = "credit_conso"
    LOGEMENT = "logement"
    SANTE = "sante"
    EAU = "eau"
    ASSURANCE = "assurance"


class CaseStatus(str, enum.Enum):
    OUVERT = "ouvert"
    EN_NEGOCIATION = "en_negociation"
    ACCORD = "accord"
    SOLDE = "solde"
    LITIGE = "litige"
    CLOS = "clos"


class ArrangementKind(str, enum.Enum):
    PAIEMENT_TOTAL = "paiement_total"
    ECHEANCIER = "echeancier"
    REPORT = "report"
    PREMIER_PAS = "premier_pas"


class ArrangementStatus(str, enum.Enum):
    PROPOSE = "propose"
    ACCEPTE = "accepte"
    TENU = "tenu"
    ROMPU = "rompu"
    ANNULE = "annule"


class Channel(str, enum.Enum):
    CHAT = "chat"
    AGENT = "agent"
    COURRIER = "courrier"
    IMPORT = "import"


class ContactChannel(str, enum.Enum):
    SMS = "sms"
    EMAIL = "email"
    TELEPHONE = "telephone"
    COURRIER = "courrier"


class ContactHours(str, enum.Enum):
    MATIN = "matin"
    APRES_MIDI = "apres_midi"
    SOIR = "soir"


class PaymentMethod(str, enum.Enum):
    VIREMENT = "virement"
    CARTE = "carte"
    PRELEVEMENT = "prelevement"
    CHEQUE = "cheque"


class DisputeStatus(str, enum.Enum):
    OUVERT = "ouvert"
    RESOLU = "resolu"
    REJETE = "rejete"


class TaskStatus(str, enum.Enum):
    A_FAIRE = "a_faire"
    FAIT = "fait"


class JournalKind(str, enum.Enum):
    INTENT = "intent"
    PROPOSAL = "proposal"
    AGREEMENT = "agreement"
    DISPUTE = "dispute"
    COMPLAINT = "complaint"
    HANDOVER = "handover"
    VERIFICATION = "verification"
    NOTE = "note"


class Creditor(Base):
    """A creditor that mandates the collection, with its repayment policy."""

    __tablename__ = "creditors"
    __table_args__ = (
        CheckConstraint("max_duration_months BETWEEN 1 AND 24", name="ck_creditor_duration"),
        CheckConstraint("min_instalment > 0", name="ck_creditor_min_instalment"),
        # Cents columns hold hundredths: 5000 is 50 %.
        CheckConstraint("max_discount_pct >= 0 AND max_discount_pct <= 5000", name="ck_creditor_discount"),
        CheckConstraint("max_deferral_days >= 0 AND max_deferral_days <= 180", name="ck_creditor_deferral"),
    )

    id = Column(Integer, primary_key=True)
    key = Column(String(40), nullable=False, unique=True)
    name = Column(String(120), nullable=False, unique=True)
    sector = Column(_enum(Sector, "sector"), nullable=False)
    min_instalment = Column(Cents, nullable=False)
    max_duration_months = Column(Integer, nullable=False)
    max_discount_pct = Column(Cents, nullable=False, default=ZERO)
    max_deferral_days = Column(Integer, nullable=False, default=0)

    cases = relationship("Case", back_populates="creditor")


class Debtor(Base):
    """A person who owes; holds the verification factors and contact preferences."""

    __tablename__ = "debtors"

    id = Column(Integer, primary_key=True)
    civility = Column(String(10), nullable=True)
    first_name = Column(String(80), nullable=False)
    last_name = Column(String(80), nullable=False)
    birth_date = Column(Date, nullable=False)
    postcode = Column(String(5), nullable=False)
    city = Column(String(80), nullable=True)
    email = Column(String(160), nullable=True)
    phone = Column(String(30), nullable=True)
    preferred_channel = Column(_enum(ContactChannel, "contact_channel"), nullable=True)
    preferred_hours = Column(_enum(ContactHours, "contact_hours"), nullable=True)
    created_at = Column(DateTime, nullable=False, server_default=func.now())

    cases = relationship("Case", back_populates="debtor")

    @property
    def display_name(self) -> str:
        """How the debtor is addressed: "Madame Benali", or the full name without a civility."""
        if self.civility:
            return f"{self.civility} {self.last_name}"
        return f"{self.first_name} {self.last_name}"


class Case(Base):
    """A collection case (dossier)."""

    __tablename__ = "cases"
    __table_args__ = (CheckConstraint("principal >= 0 AND interest >= 0 AND accessories >= 0", name="ck_case_amounts"),)

    id = Column(Integer, primary_key=True)
    reference = Column(String(15), nullable=False, unique=True, index=True)
    debtor_id = Column(ForeignKey("debtors.id"), nullable=False, index=True)
    creditor_id = Column(ForeignKey("creditors.id"), nullable=False, index=True)
    nature = Column(String(200), nullable=False)
    principal = Column(Cents, nullable=False)
    interest = Column(Cents, nullable=False, default=ZERO)
    accessories = Column(Cents, nullable=False, default=ZERO)
    due_date = Column(Date, nullable=False)
    status = Column(_enum(CaseStatus, "case_status"), nullable=False, default=CaseStatus.OUVERT)
    opened_at = Column(DateTime, nullable=False, server_default=func.now())

    debtor = relationship("Debtor", back_populates="cases")
    creditor = relationship("Creditor", back_populates="cases")
    payments = relationship("Payment", back_populates="case", order_by="Payment.paid_on")
    arrangements = relationship("Arrangement", back_populates="case", order_by="Arrangement.id")
    disputes = relationship("Dispute", back_populates="case", order_by="Dispute.id")
    complaints = relationship("Complaint", back_populates="case", order_by="Complaint.id")
    journal = relationship("JournalEntry", back_populates="case", order_by="JournalEntry.id")

    @property
    def total_claimed(self) -> Decimal:
        return self.principal + self.interest + self.accessories

    @property
    def amount_paid(self) -> Decimal:
        return sum((payment.amount for payment in self.payments), ZERO)

    @property
    def amount_due(self) -> Decimal:
        return self.total_claimed - self.amount_paid


class Arrangement(Base):
    """A repayment arrangement and its schedule; written once per idempotency key."""

    __tablename__ = "arrangements"
    __table_args__ = (CheckConstraint("discount >= 0", name="ck_arrangement_discount"),)

    id = Column(Integer, primary_key=True)
    case_id = Column(ForeignKey("cases.id"), nullable=False, index=True)
    kind = Column(_enum(ArrangementKind, "arrangement_kind"), nullable=False)
    status = Column(_enum(ArrangementStatus, "arrangement_status"), nullable=False)
    channel = Column(_enum(Channel, "channel"), nullable=False)
    discount = Column(Cents, nullable=False, default=ZERO)
    idempotency_key = Column(String(80), nullable=True, unique=True)
    created_at = Column(DateTime, nullable=False, server_default=func.now())
    # The day the debtor accepted, and what the case had received by then: later payments go to the schedule.
    # Both are NULL on arrangements written before revision 0002 (see bot.cases.payments.paid_before_of).
    accepted_on = Column(Date, nullable=True)
    paid_before = Column(Cents, nullable=True)

    case = relationship("Case", back_populates="arrangements")
    lines = relationship(
        "ScheduleLine",
        back_populates="arrangement",
        order_by="ScheduleLine.seq",
        cascade="all, delete-orphan",
    )

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), ZERO)


class ScheduleLine(Base):
    __tablename__ = "schedule_lines"
    __table_args__ = (
        UniqueConstraint("arrangement_id", "seq", name="uq_schedule_line_seq"),
        CheckConstraint("amount > 0", name="ck_schedule_line_amount"),
    )

    id = Column(Integer, primary_key=True)
    arrangement_id = Column(ForeignKey("arrangements.id", ondelete="CASCADE"), nullable=False, index=True)
    seq = Column(Integer, nullable=False)
    due_date = Column(Date, nullable=False)
    amount = Column(Cents, nullable=False)
    paid = Column(Boolean, nullable=False, default=False)

    arrangement = relationship("Arrangement", back_populates="lines")


class Payment(Base):
    __tablename__ = "payments"
    __table_args__ = (CheckConstraint("amount > 0", name="ck_payment_amount"),)

    id = Column(Integer, primary_key=True)
    case_id = Column(ForeignKey("cases.id"), nullable=False, index=True)
    amount = Column(Cents, nullable=False)
    paid_on = Column(Date, nullable=False)
    method = Column(_enum(PaymentMethod, "payment_method"), nullable=False)
    # Set by `amiable payments import`: reference|date|cents|method|occurrence, so a file imported twice adds nothing.
    dedup_key = Column(String(80), nullable=True, unique=True, index=True)

    case = relationship("Case", back_populates="payments")


class Dispute(Base):
    __tablename__ = "disputes"

    id = Column(Integer, primary_key=True)
    case_id = Column(ForeignKey("cases.id"), nullable=False, index=True)
    reason = Column(Text, nullable=False)
    status = Column(_enum(DisputeStatus, "dispute_status"), nullable=False, default=DisputeStatus.OUVERT)
    opened_on = Column(Date, nullable=False)
    idempotency_key = Column(String(80), nullable=True, unique=True, index=True)

    case = relationship("Case", back_populates="disputes")


class Complaint(Base):
    __tablename__ = "complaints"

    id = Column(Integer, primary_key=True)
    case_id = Column(ForeignKey("cases.id"), nullable=False, index=True)
    text = Column(Text, nullable=False)
    received_on = Column(Date, nullable=False)
    idempotency_key = Column(String(80), nullable=True, unique=True, index=True)

    case = relationship("Case", back_populates="complaints")


class CallbackTask(Base):
    """A request for a human to call the debtor back (hand-over)."""

    __tablename__ = "callback_tasks"

    id = Column(Integer, primary_key=True)
    case_id = Column(ForeignKey("cases.id"), nullable=True, index=True)
    reason = Column(String(40), nullable=False)
    summary = Column(Text, nullable=False)
    due_at = Column(DateTime, nullable=False)
    status = Column(_enum(TaskStatus, "task_status"), nullable=False, default=TaskStatus.A_FAIRE)
    created_at = Column(DateTime, nullable=False, server_default=func.now())
    idempotency_key = Column(String(80), nullable=True, unique=True, index=True)

    case = relationship("Case")


class JournalEntry(Base):
    """One turn that matters, recorded on the case; free text is stored masked."""

    __tablename__ = "journal_entries"

    id = Column(Integer, primary_key=True)
    case_id = Column(ForeignKey("cases.id"), nullable=False, index=True)
    at = Column(DateTime, nullable=False, server_default=func.now())
    channel = Column(_enum(Channel, "journal_channel"), nullable=False)
    kind = Column(_enum(JournalKind, "journal_kind"), nullable=False)
    intent = Column(String(40), nullable=True)
    emotion = Column(String(20), nullable=True)
    text = Column(Text, nullable=True)
    details = Column(JSON, nullable=True)
    dedup_key = Column(String(120), nullable=True, unique=True)

    case = relationship("Case", back_populates="journal")


class IdentificationAttempts(Base):
    """Failed identifications per submitted reference, and the lock they led to.

    Keyed by the normalised reference the person typed, whether a case has it or not (no foreign key): an unknown
    reference is counted and locked exactly like a known one, so the lock tells nothing about existence.
    """

    __tablename__ = "identification_attempts"
    __table_args__ = (CheckConstraint("failures >= 0", name="ck_identification_attempts_failures"),)

    id = Column(Integer, primary_key=True)
    reference = Column(String(20), nullable=False, unique=True, index=True)
    failures = Column(Integer, nullable=False, default=0)
    last_failure_at = Column(DateTime, nullable=True)
    locked_until = Column(DateTime, nullable=True)


class SatisfactionRating(Base):
    """The 1-5 rating a debtor gave at the end of a conversation (one per conversation, the last one given)."""

    __tablename__ = "satisfaction_ratings"
    __table_args__ = (
        CheckConstraint("rating BETWEEN 1 AND 5", name="ck_satisfaction_rating"),
        UniqueConstraint("conversation_id", name="uq_satisfaction_ratings_conversation_id"),
    )

    id = Column(Integer, primary_key=True)
    case_id = Column(ForeignKey("cases.id"), nullable=True, index=True)
    conversation_id = Column(String(80), nullable=False)
    rating = Column(Integer, nullable=False)
    created_at = Column(DateTime, nullable=False, server_default=func.now())

    case = relationship("Case")


__all__ = [
    "Arrangement",
    "ArrangementKind",
    "ArrangementStatus",
    "Base",
    "CallbackTask",
    "Case",
    "CaseStatus",
    "Channel",
    "Complaint",
    "ContactChannel",
    "ContactHours",
    "Creditor",
    "Debtor",
    "Dispute",
    "DisputeStatus",
    "IdentificationAttempts",
    "JournalEntry",
    "JournalKind",
    "Payment",
    "PaymentMethod",
    "SatisfactionRating",
    "ScheduleLine",
    "Sector",
    "TaskStatus",
]
