import { schema } from '@pfb/domain';
console.log(schema.manyToOneOf('contact').filter(r => r.referencingAttribute === 'parentcustomerid'));
console.log(schema.oneToManyOf('account').filter(r => r.referencingEntity === 'contact'));
console.log(schema.table('contact')?.columns.parentcustomerid);
