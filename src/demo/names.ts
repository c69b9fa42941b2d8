/**
 * Names, cities and contact details of Saudi customers, in English and Arabic.
 */
import type { Rng } from './rng';

type Pair = readonly [en: string, ar: string];

// prettier-ignore
const MALE: readonly Pair[] = [
  ['Mohammed', 'محمد'], ['Abdullah', 'عبدالله'], ['Ahmed', 'أحمد'], ['Khalid', 'خالد'], ['Fahad', 'فهد'],
  ['Sultan', 'سلطان'], ['Faisal', 'فيصل'], ['Saad', 'سعد'], ['Omar', 'عمر'], ['Ali', 'علي'],
  ['Abdulaziz', 'عبدالعزيز'], ['Turki', 'تركي'], ['Nasser', 'ناصر'], ['Majed', 'ماجد'], ['Yousef', 'يوسف'],
  ['Ibrahim', 'إبراهيم'], ['Saleh', 'صالح'], ['Hamad', 'حمد'], ['Bandar', 'بندر'], ['Nawaf', 'نواف'],
  ['Talal', 'طلال'], ['Mansour', 'منصور'], ['Waleed', 'وليد'], ['Hassan', 'حسن'], ['Ziyad', 'زياد'],
  ['Rakan', 'راكان'], ['Meshari', 'مشاري'], ['Fawaz', 'فواز'], ['Osama', 'أسامة'], ['Abdulrahman', 'عبدالرحمن'],
];

// prettier-ignore
const FEMALE: readonly Pair[] = [
  ['Noura', 'نورة'], ['Sara', 'سارة'], ['Fatimah', 'فاطمة'], ['Aisha', 'عائشة'], ['Maha', 'مها'],
  ['Reem', 'ريم'], ['Hind', 'هند'], ['Lama', 'لمى'], ['Abeer', 'عبير'], ['Amal', 'أمل'],
  ['Haifa', 'هيفاء'], ['Mashael', 'مشاعل'], ['Latifa', 'لطيفة'], ['Munira', 'منيرة'], ['Dana', 'دانة'],
  ['Joud', 'جود'], ['Raghad', 'رغد'], ['Shahad', 'شهد'], ['Wafa', 'وفاء'], ['Asma', 'أسماء'],
];

// prettier-ignore
const FAMILY: readonly Pair[] = [
  ['Al-Otaibi', 'العتيبي'], ['Al-Qahtani', 'القحطاني'], ['Al-Ghamdi', 'الغامدي'], ['Al-Zahrani', 'الزهراني'],
  ['Al-Harbi', 'الحربي'], ['Al-Dosari', 'الدوسري'], ['Al-Shehri', 'الشهري'], ['Al-Mutairi', 'المطيري'],
  ['Al-Anazi', 'العنزي'], ['Al-Shammari', 'الشمري'], ['Al-Subaie', 'السبيعي'], ['Al-Malki', 'المالكي'],
  ['Al-Juhani', 'الجهني'], ['Al-Amri', 'العمري'], ['Al-Rashidi', 'الرشيدي'], ['Al-Qurashi', 'القرشي'],
  ['Al-Sulami', 'السلمي'], ['Al-Asmari', 'الأسمري'], ['Al-Balawi', 'البلوي'], ['Al-Yami', 'اليامي'],
  ['Al-Khaldi', 'الخالدي'], ['Al-Hajri', 'الهاجري'], ['Al-Tamimi', 'التميمي'], ['Al-Rasheed', 'الرشيد'],
  ['Al-Hazmi', 'الحازمي'], ['Al-Sharif', 'الشريف'], ['Al-Mansour', 'المنصور'], ['Al-Saleh', 'الصالح'],
];

// prettier-ignore
const BRAND: readonly Pair[] = [
  ['Al-Noor', 'النور'], ['Al-Fajr', 'الفجر'], ['Al-Waha', 'الواحة'], ['Al-Rawabi', 'الروابي'],
  ['Al-Yamamah', 'اليمامة'], ['Al-Madar', 'المدار'], ['Al-Safwa', 'الصفوة'], ['Al-Manar', 'المنار'],
  ['Al-Baraka', 'البركة'], ['Al-Jazeera', 'الجزيرة'], ['Al-Nakheel', 'النخيل'], ['Al-Khaleej', 'الخليج'],
  ['Al-Rayyan', 'الريان'], ['Al-Dana', 'الدانة'], ['Al-Masa', 'الماسة'], ['Al-Hilal', 'الهلال'],
  ['Al-Ufuq', 'الأفق'], ['Al-Rimal', 'الرمال'], ['Al-Tayseer', 'التيسير'], ['Al-Wafa', 'الوفاء'],
  ['Najd', 'نجد'], ['Hijaz', 'الحجاز'], ['Tuwaiq', 'طويق'], ['Sadeem', 'سديم'],
];

/** How a business is styled: English pattern and Arabic pattern, `%` = the brand or family. */
// prettier-ignore
const BUSINESS: readonly Pair[] = [
  ['% Trading Est.', 'مؤسسة % للتجارة'], ['% Contracting Co.', 'شركة % للمقاولات'],
  ['% Supermarket', 'أسواق %'], ['% Pharmacy', 'صيدلية %'], ['% Restaurant', 'مطعم %'],
  ['% Cafe', 'مقهى %'], ['% Hotel', 'فندق %'], ['% Catering Co.', 'شركة % للإعاشة'],
  ['% International Schools', 'مدارس % العالمية'], ['% Events Est.', 'مؤسسة % لتنظيم الفعاليات'],
  ['% Cleaning Services', 'مؤسسة % لخدمات النظافة'], ['% Sons Co.', 'شركة أبناء %'],
  ['% Roastery', 'محمصة %'], ['% Perfumes', 'عطور %'], ['% Gifts', 'هدايا %'], ['% Holding Co.', 'شركة % القابضة'],
];

/** City, Arabic name, weight, and the warehouses that serve it, nearest first. */
// prettier-ignore
const CITIES: readonly (readonly [string, string, number, readonly string[]])[] = [
  ['Riyadh', 'الرياض', 30, ['main']], ['Jeddah', 'جدة', 20, ['jeddah']], ['Makkah', 'مكة المكرمة', 8, ['makkah', 'jeddah']],
  ['Madinah', 'المدينة المنورة', 6, ['madinah', 'jeddah']], ['Dammam', 'الدمام', 10, ['dammam']],
  ['Khobar', 'الخبر', 6, ['dammam']], ['Dhahran', 'الظهران', 2, ['dammam']], ['Jubail', 'الجبيل', 2, ['dammam']],
  ['Al Ahsa', 'الأحساء', 3, ['dammam']], ['Abha', 'أبها', 3, ['abha']], ['Khamis Mushait', 'خميس مشيط', 2, ['abha']],
  ['Jazan', 'جازان', 2, ['abha']], ['Najran', 'نجران', 1, ['abha']], ['Taif', 'الطائف', 3, ['makkah', 'jeddah']],
  ['Tabuk', 'تبوك', 3, ['tabuk']], ['Buraydah', 'بريدة', 3, ['qassim']], ['Unaizah', 'عنيزة', 1, ['qassim']],
  ['Hail', 'حائل', 2, ['qassim']], ['Yanbu', 'ينبع', 1, ['madinah', 'jeddah']],
];
const CITY_WEIGHTS = CITIES.map((c) => c[2]);

/** Warehouse ids in the order they are opened: `--warehouses 3` → main, jeddah, dammam. */
export const WAREHOUSE_IDS: readonly string[] = [
  'main',
  'jeddah',
  'dammam',
  'madinah',
  'abha',
  'tabuk',
  'qassim',
  'makkah',
];

export function warehouseIds(count: number): string[] {
  const ids = WAREHOUSE_IDS.slice(0, count);
  for (let i = ids.length; i < count; i++) ids.push(`wh-${i + 1}`);
  return ids;
}

export interface Place {
  city: string;
  /** Index into the warehouse list of the warehouse that serves the city (0 = main). */
  warehouse: number;
}

export function pickPlace(rng: Rng, warehouses: readonly string[]): Place {
  const [city, , , serving] = CITIES[rng.weightedIndex(CITY_WEIGHTS)] ?? CITIES[0]!;
  for (const id of serving) {
    const i = warehouses.indexOf(id);
    if (i >= 0) return { city, warehouse: i };
  }
  return { city, warehouse: 0 };
}

export interface PartyName {
  name: string;
  nameAr: string;
  email?: string;
}

function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '');
}

export function personName(rng: Rng, index: number): PartyName {
  const [first, firstAr] = rng.chance(0.7) ? rng.pick(MALE) : rng.pick(FEMALE);
  const [family, familyAr] = rng.pick(FAMILY);
  const withFather = rng.chance(0.35);
  const [father, fatherAr] = rng.pick(MALE);
  const name = withFather ? `${first} ${father} ${family}` : `${first} ${family}`;
  const nameAr = withFather ? `${firstAr} ${fatherAr} ${familyAr}` : `${firstAr} ${familyAr}`;
  const domain = rng.pick(['gmail.com', 'hotmail.com', 'outlook.sa', 'icloud.com']);
  const email = rng.chance(0.6) ? `${slug(first)}.${slug(family)}${index % 997}@${domain}` : undefined;
  return { name, nameAr, ...(email ? { email } : {}) };
}

export function businessName(rng: Rng, index: number): PartyName {
  const [brand, brandAr] = rng.chance(0.6) ? rng.pick(BRAND) : rng.pick(FAMILY);
  const [pattern, patternAr] = rng.pick(BUSINESS);
  const name = pattern.replace('%', brand);
  const nameAr = patternAr.replace('%', brandAr);
  const box = rng.pick(['info', 'accounts', 'finance', 'sales', 'admin']);
  const email = rng.chance(0.8) ? `${box}@${slug(name)}${index % 89}.com.sa` : undefined;
  return { name, nameAr, ...(email ? { email } : {}) };
}

/** A Saudi mobile number: +966 5x xxx xxxx. */
export function mobile(rng: Rng): string {
  return `+9665${rng.pick(['0', '3', '4', '5', '6', '9'])}${String(rng.int(0, 9_999_999)).padStart(7, '0')}`;
}

/**
 * A VAT registration number: 15 digits starting and ending with 3. The middle 13 digits are the
 * customer index times a constant prime modulo 10^13, offset by the seed, so numbers never repeat.
 */
export function vatNumber(index: number, seed: number): string {
  const modulus = 10_000_000_000_000n;
  const middle = (BigInt(index + 1) * 7_919_000_003n + BigInt(seed >>> 0) * 1_000_003n) % modulus;
  return `3${middle.toString().padStart(13, '0')}3`;
}
