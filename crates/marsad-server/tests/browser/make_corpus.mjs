// Writes a synthetic Arabic news corpus of N articles as JSON Lines, for the
// browser test of the UI at scale (specs/scale.spec.mjs, run by run.sh):
//
//   node make_corpus.mjs 3000 > corpus.jsonl
//
// Why synthetic: the test must build its store in seconds on any machine,
// without ../shared, and still have what makes pages heavy on a real corpus —
// entities present in every article, hundreds of timeline entries, many
// stories, quotes and passages copied between outlets. Deterministic (a
// fixed-seed generator), so every run builds the same store.

const N = Math.max(1, parseInt(process.argv[2] || '3000', 10));

// mulberry32
let seed = 20151;
const rand = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = (a) => a[Math.floor(rand() * a.length)];

const PEOPLE = [
  ['الملك', 'سلمان بن عبدالعزيز'], ['الرئيس', 'عبد الفتاح السيسي'], ['الرئيس', 'باراك أوباما'],
  ['الرئيس', 'فلاديمير بوتين'], ['الأمين العام', 'بان كي مون'], ['وزير الخارجية', 'عادل الجبير'],
  ['وزير الخارجية', 'جون كيري'], ['وزير الخارجية', 'سيرغي لافروف'], ['الرئيس', 'رجب طيب أردوغان'],
  ['الرئيس', 'حسن روحاني'], ['المستشارة', 'أنجيلا ميركل'], ['الرئيس', 'فرانسوا هولاند'],
  ['الأمير', 'محمد بن نايف'], ['الأمير', 'محمد بن سلمان'], ['الملك', 'عبدالله الثاني'],
  ['الرئيس', 'عبد ربه منصور هادي'], ['المبعوث', 'إسماعيل ولد الشيخ أحمد'], ['رئيس الوزراء', 'حيدر العبادي'],
];
const PLACES = ['الرياض', 'جدة', 'القاهرة', 'موسكو', 'واشنطن', 'باريس', 'برلين', 'أنقرة', 'طهران', 'عمّان', 'بغداد', 'صنعاء', 'جنيف', 'الدوحة', 'الكويت', 'أبوظبي', 'بيروت', 'تونس'];
const ORGS = ['الأمم المتحدة', 'جامعة الدول العربية', 'مجلس التعاون الخليجي', 'منظمة أوبك', 'البنك الدولي', 'مجلس الأمن'];
const SOURCES = ['okaz', 'riyadh', 'alwatan', 'aleqtisadiya', 'almadina', 'alyaum', 'alhayat', 'sabq', 'asharqalawsat', 'alarabiya', 'aljazirah', 'albilad'];
const MONTHS = ['يناير', 'فبراير', 'مارس', 'أبريل', 'مايو', 'يونيو', 'يوليو', 'أغسطس', 'سبتمبر', 'أكتوبر', 'نوفمبر', 'ديسمبر'];
const TOPICS = ['الطاقة المتجددة', 'أسعار النفط', 'الأزمة اليمنية', 'الملف النووي', 'مكافحة الإرهاب', 'التجارة الحرة', 'الاستثمار الأجنبي', 'اللاجئين', 'المياه', 'التعليم', 'الصحة العامة', 'السياحة', 'النقل البحري', 'الأمن الغذائي', 'الإسكان'];
const VERBS = ['قال', 'أكد', 'أوضح', 'صرح', 'أضاف'];
const WORDS = ['التعاون', 'الشراكة', 'التنمية', 'الاستقرار', 'الحوار', 'المفاوضات', 'الاتفاق', 'المشروع', 'البرنامج', 'الخطة', 'المبادرة', 'القرار', 'الدعم', 'النمو', 'الإصلاح', 'الأمن', 'السلام', 'الاقتصاد', 'المنطقة', 'الشعوب'];

const pad = (n) => String(n).padStart(2, '0');
const sentence = (n) => Array.from({ length: n }, () => pick(WORDS)).join(' ');

// A story: a topic, two people, a place and a two-week window; the wire
// paragraph its articles copy.
const STORIES = Array.from({ length: Math.max(10, Math.floor(N / 12)) }, (_, i) => {
  const day = Math.floor(rand() * 700);
  return {
    topic: TOPICS[i % TOPICS.length], code: `المشروع ${i + 1}`, a: pick(PEOPLE), b: pick(PEOPLE),
    place: pick(PLACES), org: pick(ORGS), day,
    wire: `وذكرت وكالة الأنباء أن ${sentence(6)} في إطار ${TOPICS[i % TOPICS.length]} وبرنامج المشروع ${i + 1} ${sentence(10)}.`,
  };
});

const base = Date.UTC(2014, 0, 1);
const iso = (day) => new Date(base + day * 86400000).toISOString().slice(0, 10);
const arDate = (day) => {
  const d = new Date(base + day * 86400000);
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
};

for (let i = 0; i < N; i++) {
  const s = STORIES[Math.floor(rand() * STORIES.length)];
  const day = s.day + Math.floor(rand() * 10);
  const eventDay = day - 1 - Math.floor(rand() * 3);
  const [ta, a] = s.a;
  const [tb, b] = s.b;
  const paragraphs = [
    `${s.place} - ${pick(SOURCES)}: ${ta} ${a} يزور ${s.place} ويلتقي ${tb} ${b} لبحث ${s.topic} و${s.code}.`,
    `التقى ${ta} ${a} ${tb} ${b} في ${s.place} يوم ${arDate(eventDay)}، وبحث الجانبان ${s.topic} و${sentence(8)}.`,
    `و${pick(VERBS)} ${ta} ${a} إن «${sentence(12)}»، مضيفاً أن ${s.code} ${sentence(6)}.`,
    `من جهته ${pick(VERBS)} ${tb} ${b} إن ${s.org} ${sentence(9)}.`,
    rand() < 0.6 ? s.wire : `وتعقد ${s.org} قمة في ${pick(PLACES)} في ${MONTHS[(eventDay / 30 | 0) % 12]} ${2014 + (eventDay > 364 ? 1 : 0)} لبحث ${s.topic}.`,
    `وتأتي الزيارة في وقت تشهد فيه المملكة العربية السعودية ${sentence(7)}.`,
  ];
  const doc = {
    id: `syn_${String(i).padStart(5, '0')}`,
    title: `${a} يبحث ${s.topic} و${s.code} مع ${b} في ${s.place}`,
    source: pick(SOURCES),
    date: iso(day),
    content: paragraphs.join('\n'),
  };
  process.stdout.write(JSON.stringify(doc) + '\n');
}
