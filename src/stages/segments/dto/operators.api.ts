import { ApiProperty } from '@nestjs/swagger';
import { OPERATORS, type Operator } from '../rule';

/* The rule operators per field type, as data the UI reads (its types come from this schema). */

export class OperatorsByTypeDoc {
  @ApiProperty({ enum: OPERATORS, enumName: 'RuleOperator', isArray: true })
  string!: Operator[];

  @ApiProperty({ enum: OPERATORS, enumName: 'RuleOperator', isArray: true })
  number!: Operator[];

  @ApiProperty({ enum: OPERATORS, enumName: 'RuleOperator', isArray: true })
  date!: Operator[];

  @ApiProperty({ enum: OPERATORS, enumName: 'RuleOperator', isArray: true })
  boolean!: Operator[];
}

export class RuleOperatorsDoc {
  @ApiProperty({ description: 'The operators each customer-field type accepts' })
  byType!: OperatorsByTypeDoc;

  @ApiProperty({
    enum: OPERATORS,
    enumName: 'RuleOperator',
    isArray: true,
    description: 'Operators that compare text and so accept "caseSensitive"',
  })
  text!: Operator[];
}
