/**
 * What a Saudi general-trading business sells: categories with their items, grades and sizes in
 * English and Arabic, typical unit cost (SAR), supplier lead time and pack sizes.
 */
type Pair = readonly [en: string, ar: string];

export interface CategorySpec {
  key: string;
  name: string;
  nameAr: string;
  /** Share of the catalogue. */
  weight: number;
  items: readonly Pair[];
  sizes: readonly Pair[];
  /** Unit cost range in SAR for the smallest size; bigger sizes cost proportionally more. */
  cost: readonly [number, number];
  leadTime: readonly [number, number];
  packSizes: readonly number[];
}

// prettier-ignore
export const GRADES: readonly Pair[] = [
  ['Premium', 'فاخر'], ['Classic', 'كلاسيك'], ['Family', 'عائلي'], ['Economy', 'اقتصادي'],
  ['Royal', 'ملكي'], ['Gold', 'ذهبي'], ['Select', 'مختار'], ['Original', 'أصلي'],
];

// prettier-ignore
export const BRANDS: readonly Pair[] = [
  ['Nakheel', 'نخيل'], ['Rawabi', 'روابي'], ['Qimma', 'قمة'], ['Diyafa', 'ضيافة'], ['Sahra', 'صحراء'],
  ['Bayt', 'بيت'], ['Rihan', 'ريحان'], ['Saqr', 'صقر'], ['Lulu', 'لؤلؤ'], ['Amjad', 'أمجاد'],
  ['Jood', 'جود'], ['Hala', 'هلا'],
];

// prettier-ignore
export const CATEGORIES: readonly CategorySpec[] = [
  {
    key: 'dates', name: 'Dates & Sweets', nameAr: 'تمور وحلويات', weight: 12,
    items: [['Sukkari Dates', 'تمر سكري'], ['Ajwa Dates', 'تمر عجوة'], ['Khalas Dates', 'تمر خلاص'],
      ['Medjool Dates', 'تمر مجدول'], ['Safawi Dates', 'تمر صفاوي'], ['Segai Dates', 'تمر صقعي'],
      ['Maamoul', 'معمول'], ['Stuffed Dates', 'تمر محشي'], ['Date Paste', 'عجينة تمر'],
      ['Halawa Tahiniya', 'حلاوة طحينية'], ['Baklava', 'بقلاوة'], ['Chocolate Dates', 'تمر بالشوكولاتة']],
    sizes: [['500 g', '500 جم'], ['1 kg', '1 كجم'], ['3 kg', '3 كجم'], ['5 kg', '5 كجم']],
    cost: [12, 45], leadTime: [3, 10], packSizes: [1, 6, 12],
  },
  {
    key: 'coffee', name: 'Coffee & Tea', nameAr: 'قهوة وشاي', weight: 12,
    items: [['Saudi Coffee', 'قهوة سعودية'], ['Khawlani Coffee Beans', 'بن خولاني'],
      ['Arabic Coffee with Cardamom', 'قهوة عربية بالهيل'], ['Espresso Beans', 'حبوب إسبريسو'],
      ['Turkish Coffee', 'قهوة تركية'], ['Black Tea', 'شاي أسود'], ['Green Tea', 'شاي أخضر'],
      ['Karak Tea Mix', 'خلطة شاي كرك'], ['Cardamom', 'هيل'], ['Saffron', 'زعفران'], ['Cloves', 'قرنفل']],
    sizes: [['250 g', '250 جم'], ['500 g', '500 جم'], ['1 kg', '1 كجم']],
    cost: [18, 70], leadTime: [5, 21], packSizes: [1, 6, 12, 24],
  },
  {
    key: 'groceries', name: 'Groceries', nameAr: 'مواد غذائية', weight: 14,
    items: [['Basmati Rice', 'أرز بسمتي'], ['Sella Rice', 'أرز سيلا'], ['Sunflower Oil', 'زيت دوار الشمس'],
      ['Olive Oil', 'زيت زيتون'], ['Sugar', 'سكر'], ['Flour', 'دقيق'], ['Lentils', 'عدس'], ['Chickpeas', 'حمص'],
      ['Tomato Paste', 'معجون طماطم'], ['Powdered Milk', 'حليب بودرة'], ['Tahini', 'طحينة'], ['Sidr Honey', 'عسل سدر'],
      ['Ghee', 'سمن']],
    sizes: [['1 kg', '1 كجم'], ['2 kg', '2 كجم'], ['5 kg', '5 كجم'], ['10 kg', '10 كجم']],
    cost: [6, 40], leadTime: [2, 7], packSizes: [1, 4, 6, 10, 12],
  },
  {
    key: 'perfumes', name: 'Perfumes & Oud', nameAr: 'عطور وعود', weight: 10,
    items: [['Cambodian Oud', 'عود كمبودي'], ['Indian Oud Chips', 'عود هندي'], ['Musk Tahara', 'مسك الطهارة'],
      ['Taifi Rose Oil', 'دهن ورد طائفي'], ['Bakhoor', 'بخور'], ['Mabkhara Incense Burner', 'مبخرة'],
      ['Amber Perfume', 'عطر عنبر'], ['Oud Oil', 'دهن عود'], ['Perfume Gift Set', 'طقم عطور هدية']],
    sizes: [['12 ml', '12 مل'], ['50 ml', '50 مل'], ['100 ml', '100 مل']],
    cost: [25, 220], leadTime: [14, 45], packSizes: [1, 3, 6],
  },
  {
    key: 'household', name: 'Household', nameAr: 'أدوات منزلية', weight: 11,
    items: [['Dallah Coffee Pot', 'دلة قهوة'], ['Thermos Flask', 'ترمس'], ['Serving Tray', 'صينية تقديم'],
      ['Finjan Cup Set', 'طقم فناجين'], ['Tea Glass Set', 'طقم استكانات'], ['Cooking Pot', 'قدر طبخ'],
      ['Prayer Rug', 'سجادة صلاة'], ['Food Container', 'حافظة طعام'], ['Kitchen Knife Set', 'طقم سكاكين']],
    sizes: [['Small', 'صغير'], ['Medium', 'وسط'], ['Large', 'كبير']],
    cost: [15, 120], leadTime: [10, 45], packSizes: [1, 2, 4, 6],
  },
  {
    key: 'cleaning', name: 'Cleaning Supplies', nameAr: 'منظفات', weight: 10,
    items: [['Dishwashing Liquid', 'سائل غسيل الصحون'], ['Laundry Detergent', 'مسحوق غسيل'],
      ['Floor Cleaner', 'منظف أرضيات'], ['Bleach', 'كلور'], ['Hand Soap', 'صابون يدين'], ['Tissue Box', 'مناديل'],
      ['Garbage Bags', 'أكياس نفايات'], ['Air Freshener', 'معطر جو'], ['Glass Cleaner', 'منظف زجاج']],
    sizes: [['500 ml', '500 مل'], ['1 L', '1 لتر'], ['3 L', '3 لتر'], ['Pack of 10', 'عبوة 10']],
    cost: [4, 30], leadTime: [3, 10], packSizes: [6, 12, 24],
  },
  {
    key: 'stationery', name: 'Stationery', nameAr: 'قرطاسية', weight: 9,
    items: [['A4 Paper', 'ورق A4'], ['School Backpack', 'حقيبة مدرسية'], ['Notebook', 'دفتر'],
      ['Pencil Set', 'طقم أقلام رصاص'], ['Ballpoint Pens', 'أقلام حبر'], ['Geometry Set', 'طقم هندسة'],
      ['Colour Pencils', 'ألوان خشبية'], ['Stapler', 'دباسة'], ['File Folder', 'ملف'],
      ['Whiteboard Marker', 'قلم سبورة'], ['Calculator', 'آلة حاسبة']],
    sizes: [['Single', 'مفرد'], ['Pack of 5', 'عبوة 5'], ['Pack of 12', 'عبوة 12']],
    cost: [3, 60], leadTime: [7, 30], packSizes: [1, 5, 10, 12],
  },
  {
    key: 'electronics', name: 'Electronics Accessories', nameAr: 'إكسسوارات إلكترونية', weight: 11,
    items: [['USB-C Charger', 'شاحن USB-C'], ['Power Bank', 'شاحن متنقل'], ['Phone Case', 'غطاء جوال'],
      ['Screen Protector', 'واقي شاشة'], ['Bluetooth Earbuds', 'سماعات بلوتوث'], ['HDMI Cable', 'كيبل HDMI'],
      ['Extension Cord', 'توصيلة كهرباء'], ['LED Bulb', 'لمبة LED'], ['Wireless Mouse', 'فأرة لاسلكية'],
      ['Smart Plug', 'قابس ذكي']],
    sizes: [['Standard', 'عادي'], ['Pro', 'برو'], ['Max', 'ماكس']],
    cost: [8, 150], leadTime: [21, 60], packSizes: [1, 5, 10, 20],
  },
  {
    key: 'textiles', name: 'Textiles', nameAr: 'منسوجات', weight: 9,
    items: [['Shemagh', 'شماغ'], ['Ghutra', 'غترة'], ['Thobe Fabric', 'قماش ثوب'], ['Abaya', 'عباءة'],
      ['Prayer Garment', 'جلال صلاة'], ['Bath Towel', 'منشفة حمام'], ['Bed Sheet Set', 'طقم مفارش'],
      ['Blanket', 'بطانية'], ['Kids Thobe', 'ثوب أطفال']],
    sizes: [['S', 'صغير'], ['M', 'وسط'], ['L', 'كبير'], ['XL', 'كبير جدا']],
    cost: [20, 180], leadTime: [14, 45], packSizes: [1, 3, 6, 12],
  },
];

export const SERVICE_CATEGORY = { name: 'Services', nameAr: 'خدمات' } as const;

/** Services: name, Arabic name, price in SAR, whether sold by the hour (fractional quantity). */
// prettier-ignore
export const SERVICES: readonly (readonly [string, string, number, boolean])[] = [
  ['Delivery', 'توصيل', 25, false],
  ['Installation (per hour)', 'تركيب (بالساعة)', 120, true],
  ['Gift Wrapping', 'تغليف هدايا', 15, false],
  ['Express Delivery', 'توصيل سريع', 50, false],
  ['Maintenance Visit', 'زيارة صيانة', 150, false],
  ['Event Setup', 'تجهيز فعالية', 800, false],
  ['Coffee Hospitality Service (per hour)', 'خدمة ضيافة قهوة (بالساعة)', 200, true],
];
