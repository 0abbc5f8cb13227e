"""ФИО / аты-жөні: full names of people in Russian and Kazakh text, cells and forms.

A name is found by rules first and by natasha's NER only where the rules cannot decide:

* Short values (database cells, form fields: up to five words) and texts written all in capitals
  or all in lower case are decided by rules alone. Each word gets roles from the lexicons in
  ``recognizers/data/person_*.txt``, from pymorphy3's dictionary tags (``Name``, ``Surn``,
  ``Patr``) and from its shape (patronymic suffixes ``-ович/-евна/-ична/-улы/-ұлы/-кызы/-қызы``,
  surname suffixes ``-ов/-ева/-ин/-ский/-енко/-баев...``, initials ``И.``). A run of such words
  is matched against the orders people write: ``Фамилия Имя Отчество``, ``Имя Отчество
  Фамилия``, ``Фамилия Имя``, ``Имя Фамилия``, ``Фамилия И. О.``, ``И.О. Фамилия``, ``Имя
  Отчество``, a Kazakh particle written apart (``Серик улы``), Latin passport and card spellings
  (``SAGINTAYEVA AIGERIM``) compared through a transliteration skeleton.
* Longer free text with capitalised words also goes through ``NewsNERTagger`` (loaded lazily,
  once per process, run in one ``map`` over the batch). Its PER spans are cleaned (split at line
  breaks and brackets, initials before or after joined) and the strong rule matches it missed
  are added.

* Labelled layouts (ID cards, passports, forms) are read by their labels first
  (``recognizers/data/person_labels.txt``: ``Фамилия``, ``Тегі``, ``Surname``, ``Имя``, ``Аты``,
  ``Given names``, ``Отчество``, ``Әкесінің аты``, ``ФИО``, ``Аты-жөні``..., bilingual groups
  such as ``ТЕГІ / ФАМИЛИЯ``, OCR's look-alike letters). The value after a label's colon, or on
  the next line under a label standing alone on its line, is a name part whatever the lexicons
  say: one or two words (up to four after a whole-name label), capitalised, in capitals, or
  lower-case name words, ending its line or column. Without a colon, a value on the label's own
  line (OCR's one-line reading of a card) must be made of words that may be names. Each
  labelled part is its own PERSON span, so that no label between the parts ever lies inside a
  name; a whole-name label ("ФИО:") gives one span. Label words split the rules' runs and are
  cut out of natasha's spans.

Judgements (what is *not* a full name):

* A single word alone is not a full name: "Иванов" or "Айгерим" as a whole value gives nothing,
  unless the field's name says it holds names (``fio``, ``name``, ``familiya``...), then a lone
  first name, surname or patronymic is reported at 0.7. A lone first name that a message
  addresses or introduces is a name at 0.6 ("Спасибо, Айгерим!", "это ерасыл", ``rules``). In
  running text natasha's one-word person mentions ("Медведев заявил") are reported at 0.6.
* Places and institutions named after people are not people: a name right after ``ул.``,
  ``пр.``, ``им.``, ``г.``, ``мкр`` ... or right before ``көшесі``, ``даңғылы``, ``атындағы``,
  ``университет`` is dropped ("ул. Мухтара Ауэзова", "Назарбаев Университет").
* Course, lesson and book titles are not people: a name next to a title word (``курс``,
  ``лирика``, ``творчество``...) or followed by a colon in a text holding such a word is dropped
  ("Абай Кунанбаев: жизнь и творчество").
* Words of the stop list (cities, regions, organisations, months, placeholders such as "нет",
  "admin") never count as name parts, labelled or not. A label followed by another word is not
  a label ("Имя файла:", "Имя пользователя:") unless that word says whose name it is ("ФИО
  ребёнка:"); the English "Name:" needs a value with a known name word ("Name: Mirum
  Education LLP" is not a person). A value followed by anything but the end of its line, a
  comma or a column gap is not a form value ("Имя: report.pdf").

Scores: patronymic patterns 0.95 (``Имя Отчество`` 0.9), lexicon first name with a surname 0.9,
initials with a surname 0.85-0.9, NER spans 0.85 (0.6 for one word), two first names (a Kazakh
surname taken from the father's name) 0.75, a first name next to an unknown capitalised word 0.6;
a labelled part 0.85 (0.9 when the text labels two or more different parts), a whole-name label's
value 0.85 or the rules' score for it if higher. Evidence names the label: ``"label: фамилия"``.

What counts as a person (issue #20):

* A living private person's name, in any order, case or script, is reported: a full name, a
  surname with initials, and a lone first name when a message addresses or introduces someone
  ("Гульназ, здравствуйте!", "меня зовут Асель", "Жанар апай", "Ерасыл 8 жаста").
* A name named in full is a name again where the text repeats its surname or first name alone,
  in any case ("Ерлан Тлеуов ... Тлеуова спросили", "... без Ерлана"), unless natasha reads an
  organisation there or the place and title tests drop it (``decision._surnames_again``).
* Names of historical and public figures in teaching material ("читаем стихи Мағжана
  Жұмабаева", "Ыбырай Алтынсарин әңгімелері") are not reported at all: they are course content,
  not data the platform stores about a person, and flagging them would make every literature
  course a finding. They are told by ``recognizers/data/person_public_figures.txt`` and only in
  a short text (300 characters or fewer) that a title word or a quoted work marks as teaching
  material; "Клиент Мағжан Жұмабаев оплатил заказ" is a person. In news, the names of public
  figures are reported as persons (they are personal data; Collection5 and factRuEval count
  them).
* Places, institutions, works and brands named after or looking like people are not persons:
  streets and cities ("Абылай хана 12-4"), "им. Абая", titles in guillemets ("«Алдар Көсе»"),
  greetings ("Ассаламуалейкум!"), companies ("Казпочта", "Магнум").

The package, in reading order:

* ``lexicons``: word lists (``recognizers/data/person_*.txt``), pymorphy3 tags, suffix shapes,
  ``word_roles``.
* ``tokens``: the words of a text and their roles, runs.
* ``patterns``: the table of name orders and the matcher.
* ``rules``: places, titles, addressed first names, headline subjects, field names.
* ``labels``: labelled forms and ID cards.
* ``ner``: the natasha adapter.
* ``shortcuts``: texts that provably hold no name, values that are one plain name.
* ``decision``: ``PersonRecognizer``, which merges them.
"""

from pdaudit.recognizers.person.decision import ENTITY, PersonRecognizer, needs_ner
from pdaudit.recognizers.person.labels import find_labels
from pdaudit.recognizers.person.lexicons import skeleton, word_roles
from pdaudit.recognizers.person.ner import clean_ner_span
from pdaudit.recognizers.person.rules import addressed_names, is_place_or_title, rule_matches
from pdaudit.recognizers.person.tokens import tokenize

__all__ = [
    "ENTITY",
    "PersonRecognizer",
    "addressed_names",
    "clean_ner_span",
    "find_labels",
    "is_place_or_title",
    "needs_ner",
    "rule_matches",
    "skeleton",
    "tokenize",
    "word_roles",
]
